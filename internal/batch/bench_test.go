package batch

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkRun measures the batch machinery itself (discovery, hashing,
// manifest, callbacks, vocab writes) with instant fake stages: a cold run over
// 50 documents against an unchanged re-run, which should cost a small
// fraction of it. scripts/bench-batch.sh measures the real pipeline.
func BenchmarkRun(b *testing.B) {
	files := map[string]string{}
	for i := range 50 {
		files[fmt.Sprintf("shelf%d/book%02d.md", i%5, i)] = strings.Repeat(fmt.Sprintf("The dragon number%d guards the hoard of wizard%d. ", i, i), 200)
	}
	run := func(b *testing.B, h *harness, force bool) {
		sum, err := h.run(context.Background(), func(cfg *Config) { cfg.Force = force; cfg.OnEvent = nil; cfg.OnDocumentComplete = nil })
		if err != nil || sum.Failed > 0 {
			b.Fatal(sum, err)
		}
	}
	b.Run("cold", func(b *testing.B) {
		h := newHarness(b, files)
		for b.Loop() {
			run(b, h, true)
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		h := newHarness(b, files)
		run(b, h, false)
		for b.Loop() {
			run(b, h, false)
		}
	})
}

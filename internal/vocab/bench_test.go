package vocab

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
)

// benchCorpus writes docs vocab files of n entries each, half of the terms
// shared between documents, and returns the folder and the entry count.
func benchCorpus(b *testing.B, docs, n int) (string, int) {
	dir := b.TempDir()
	for d := range docs {
		terms := make([]classify.Term, n)
		for i := range terms {
			name := fmt.Sprintf("term %d", i)
			if i%2 == 1 {
				name = fmt.Sprintf("doc%d term %d", d, i)
			}
			terms[i] = term(fmt.Sprintf("book%02d.pdf", d), name, name, float64(i%10)/10, i%7+1,
				map[string]float64{"fire": float64(i%5) / 5, "mind": 0.5}, "tag", fmt.Sprintf("t%d", i%13))
		}
		f := NewFile(DocumentInfo{SourcePath: terms[0].Source, Pipeline: "bench"}, terms, fixedNow)
		if err := Write(filepath.Join(dir, fmt.Sprintf("book%02d.vocab.json", d)), f); err != nil {
			b.Fatal(err)
		}
	}
	return dir, docs * n
}

// BenchmarkConsolidate reports entries/s (wall) and entries/cpu-s (process
// CPU time, GC included: steadier on a shared machine) for a full rebuild
// (--force: every file read and parsed) and for an incremental run over
// unchanged files.
func BenchmarkConsolidate(b *testing.B) {
	for _, mode := range []string{"force", "incremental"} {
		b.Run(mode, func(b *testing.B) {
			dir, entries := benchCorpus(b, 10, 2000)
			ctx := context.Background()
			now := fixedNow
			opts := ConsolidateOptions{Dir: dir, Now: func() time.Time { now = now.Add(time.Second); return now }, KeepBackups: -1}
			if _, err := Consolidate(ctx, opts); err != nil {
				b.Fatal(err)
			}
			opts.Force = mode == "force"
			b.ResetTimer()
			start, startCPU := time.Now(), cpuTime()
			for b.Loop() {
				if _, err := Consolidate(ctx, opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(entries*b.N)/time.Since(start).Seconds(), "entries/s")
			if cpu := cpuTime() - startCPU; cpu > 0 {
				b.ReportMetric(float64(entries*b.N)/cpu.Seconds(), "entries/cpu-s")
			}
		})
	}
}

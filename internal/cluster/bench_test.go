package cluster

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/cluster/natstest"
)

// BenchmarkOverhead compares a local batch with -w 2 against the cluster
// path with two in-process workers of one slot each, on the same generated
// books, against an embedded server on loopback: the cost of the queue, the
// object stores and the result collection. Run with -benchtime=3x.
func BenchmarkOverhead(b *testing.B) {
	files := map[string]string{}
	for i := range 12 {
		var sb strings.Builder
		for j := range 300 {
			fmt.Fprintf(&sb, "The ancient wyrm%d of Hollowmere%d casts fireball at the lich%d and guards the amulet of Emberfall. ", i, j%7, j%11)
		}
		files[fmt.Sprintf("shelf%d/book%02d.txt", i%3, i)] = sb.String()
	}
	in := writeBooks(b, files)
	b.Run("local", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			out := filepath.Join(b.TempDir(), fmt.Sprint(i))
			if _, err := runBatch(context.Background(), b, in, out, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cluster", func(b *testing.B) {
		srv := natstest.Start(b, "")
		startWorker(b, srv.ClientURL(), "w1", nil)
		startWorker(b, srv.ClientURL(), "w2", nil)
		for i := 0; b.Loop(); i++ {
			out := filepath.Join(b.TempDir(), fmt.Sprint(i))
			if _, err := runBatch(context.Background(), b, in, out, srv.ClientURL(), func(c *batch.Config) { c.Force = true }); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package serve

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/serve/servetest"
)

const bigN = 100_000

var (
	bigOnce sync.Once
	bigSrv  *Server
	bigErr  error
)

// bigServer serves a generated master of 100,000 terms, built once per
// test binary.
func bigServer(tb testing.TB) *Server {
	tb.Helper()
	bigOnce.Do(func() {
		dir := filepath.Join(tb.TempDir(), "big")
		if bigErr = servetest.Master(dir, bigN); bigErr != nil {
			return
		}
		bigSrv, bigErr = New(Options{Dir: dir, ReadOnly: true})
		if bigErr == nil {
			bigSrv.AllowAddr(testHost)
			bigSrv.store.recheck = time.Hour
		}
	})
	if bigErr != nil {
		tb.Fatal(bigErr)
	}
	return bigSrv
}

// The figure: a search and two facets over 100,000 terms.
const bigQuery = "/api/terms?q=fire&category=spell&mood=arcane"

func BenchmarkAPITerms100k(b *testing.B) {
	s := bigServer(b)
	s.do(b, call{method: "GET", path: bigQuery}) // load the snapshot
	b.ResetTimer()
	for b.Loop() {
		if w := s.do(b, call{method: "GET", path: bigQuery}); w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

func BenchmarkTermsPage100k(b *testing.B) {
	s := bigServer(b)
	s.do(b, call{method: "GET", path: "/terms?q=fire&category=spell&mood=arcane"})
	b.ResetTimer()
	for b.Loop() {
		if w := s.do(b, call{method: "GET", path: "/terms?q=fire&category=spell&mood=arcane&sort=-axis.fire"}); w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// TestBigVocabulary checks the limits on a 100,000-term master: the
// overview under 300 KB, and /api/terms with a search and two facets fast
// (the 100 ms budget is measured by BenchmarkAPITerms100k; this test only
// catches an order-of-magnitude regression on a busy machine).
func TestBigVocabulary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 100,000-term master: skipped with -short")
	}
	s := bigServer(t)
	start := time.Now()
	w := s.do(t, call{method: "GET", path: "/"})
	t.Logf("first load and overview: %v", time.Since(start))
	if w.Code != 200 {
		t.Fatal(w.Code)
	}
	if n := w.Body.Len(); n > 300<<10 {
		t.Errorf("overview weighs %d bytes, want under 300 KB", n)
	} else {
		t.Logf("overview: %d bytes", n)
	}
	best := time.Hour
	for range 5 {
		start := time.Now()
		w := s.do(t, call{method: "GET", path: bigQuery})
		best = min(best, time.Since(start))
		if w.Code != 200 {
			t.Fatal(w.Code)
		}
	}
	t.Logf("%s: %v", bigQuery, best)
	if best > time.Second {
		t.Errorf("%s took %v", bigQuery, best)
	}
}

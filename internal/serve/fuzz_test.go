package serve

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/corpora-tools/corpora/internal/serve/servetest"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// FuzzParseQuery: any query string either is refused in words or gives a
// query that the index runs without panicking and that Values gives back.
func FuzzParseQuery(f *testing.F) {
	for _, seed := range []string{
		"", "q=fire&category=spell&axis.fire=0.5-1", "axis.fate=-0.2&sort=-axis.fate", "flagged=yes&page=2&per_page=1",
		"source=books%2FTome+A.pdf", "axis.fire=1e-1-1", "axis.fire=-", "q=%00%ff", "sort=-", "page=99999999999999999999",
		"category=&category=spell&mood=arcane&energy=force&intent=offensive",
	} {
		f.Add(seed)
	}
	var es []vocab.Entry
	for _, t := range append(servetest.BookA(), servetest.BookB()...) {
		es = append(es, vocab.Entry{Term: t})
	}
	ix := newIndex(es)
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseQuery(v)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an empty error")
			}
			return
		}
		if q.Page < 1 || q.PerPage < 1 || q.PerPage > maxPerPage {
			t.Fatalf("paging %d/%d", q.Page, q.PerPage)
		}
		for _, r := range q.Axes {
			if !(r.Lo >= 0 && r.Hi <= 1 && r.Lo <= r.Hi) {
				t.Fatalf("range %+v", r)
			}
		}
		q2, err := ParseQuery(q.Values())
		if err != nil || !reflect.DeepEqual(q, q2) {
			t.Fatalf("round trip of %q: %+v %v, want %+v", raw, q2, err, q)
		}
		res := ix.search(q, true)
		if len(res.page(q)) > q.PerPage {
			t.Fatal("page too long")
		}
	})
}

package serve

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/termkey"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// index is the master's entries prepared for queries once per change of the
// files: folded search text and facet values interned as small numbers, so
// a query over 100,000 terms is a tight loop over flat data.
type index struct {
	entries []vocab.Entry
	rows    []row
	byID    map[string]int
	// ids are the entries' page ids: the entry's id, or "n<position>"
	// for an entry without one or whose id an earlier entry has (1.0 files).
	ids []string
	// values[f] are facet f's values, codes index them.
	values [facetCount][]string
	codes  [facetCount]map[string]uint32

	keysOnce sync.Once
	byKey    map[string]int // by termkey.Key of the canonical form; built on first use
}

// entryByKey returns the position of the entry whose canonical form has
// the termkey.Key k.
func (ix *index) entryByKey(k string) (int, bool) {
	ix.keysOnce.Do(func() {
		ix.byKey = make(map[string]int, len(ix.entries))
		for i := range ix.entries {
			key := termkey.Key(ix.entries[i].Canonical)
			if _, dup := ix.byKey[key]; !dup {
				ix.byKey[key] = i
			}
		}
	})
	i, ok := ix.byKey[k]
	return i, ok
}

type row struct {
	search  string // folded text, canonical and variants, "\x00"-separated
	text    string // lower-cased, for sorting
	canon   string // lower-cased, for sorting
	facet   [facetCount]uint32
	sources []uint32 // the source facet: every book of the entry
}

func newIndex(entries []vocab.Entry) *index {
	ix := &index{entries: entries, rows: make([]row, len(entries)), byID: make(map[string]int, len(entries))}
	for f := range ix.codes {
		ix.codes[f] = map[string]uint32{}
	}
	var sb strings.Builder
	for i := range entries {
		e := &entries[i]
		ix.ids = append(ix.ids, e.ID)
		if _, dup := ix.byID[e.ID]; !dup && e.ID != "" {
			ix.byID[e.ID] = i
		} else {
			ix.ids[i] = fmt.Sprintf("n%d", i)
		}
		sb.Reset()
		sb.WriteString(termkey.Fold(e.Text))
		sb.WriteByte(0)
		sb.WriteString(termkey.Fold(e.Canonical))
		for _, v := range e.Variants {
			sb.WriteByte(0)
			sb.WriteString(termkey.Fold(v))
		}
		r := &ix.rows[i]
		r.search = sb.String()
		r.text, r.canon = strings.ToLower(e.Text), strings.ToLower(e.Canonical)
		r.facet[facetCategory] = ix.code(facetCategory, string(e.Category))
		r.facet[facetIntent] = ix.code(facetIntent, string(e.Intent))
		r.facet[facetMood] = ix.code(facetMood, string(e.Mood))
		r.facet[facetEnergy] = ix.code(facetEnergy, e.Energy)
		flagged := "no"
		if e.IPFlag != nil {
			flagged = "yes"
		}
		r.facet[facetFlagged] = ix.code(facetFlagged, flagged)
		for _, s := range entrySources(e) {
			r.sources = append(r.sources, ix.code(facetSource, s))
		}
	}
	return ix
}

func (ix *index) code(f int, v string) uint32 {
	c, ok := ix.codes[f][v]
	if !ok {
		c = uint32(len(ix.values[f]))
		ix.codes[f][v] = c
		ix.values[f] = append(ix.values[f], v)
	}
	return c
}

// entrySources are the documents an entry comes from.
func entrySources(e *vocab.Entry) []string {
	if len(e.Sources) > 0 {
		out := make([]string, len(e.Sources))
		for i, s := range e.Sources {
			out[i] = s.Source
		}
		return out
	}
	if e.Source == "" {
		return nil
	}
	return strings.Split(e.Source, "; ")
}

// result is the answer to a query: the matching entries' positions, sorted.
type result struct {
	total int
	hits  []int
	// counts[f][code] is how many hits have facet f's value code.
	counts [facetCount][]int
}

// search runs q. withCounts also counts the hits' facet values (for the
// page's facet lists).
func (ix *index) search(q Query, withCounts bool) result {
	needle := termkey.Fold(q.Q)
	// A facet's wanted values as codes; a value the data lacks matches nothing.
	var want [facetCount][]uint32
	var active [facetCount]bool
	for f, vals := range q.Facets {
		if len(vals) == 0 {
			continue
		}
		active[f] = true
		for _, v := range vals {
			if c, ok := ix.codes[f][v]; ok {
				want[f] = append(want[f], c)
			}
		}
	}
	var res result
	if withCounts {
		for f := range res.counts {
			res.counts[f] = make([]int, len(ix.values[f]))
		}
	}
	hits := make([]int, 0, 1024)
rows:
	for i := range ix.rows {
		r := &ix.rows[i]
		for f := range active {
			if !active[f] {
				continue
			}
			if f == facetSource {
				if !anyIn(r.sources, want[f]) {
					continue rows
				}
			} else if !slices.Contains(want[f], r.facet[f]) {
				continue rows
			}
		}
		for _, ar := range q.Axes {
			v := ix.entries[i].Axes[ar.Axis]
			if v < ar.Lo || v > ar.Hi {
				continue rows
			}
		}
		if needle != "" && !strings.Contains(r.search, needle) {
			continue
		}
		hits = append(hits, i)
		if withCounts {
			for f := range r.facet {
				if f == facetSource {
					for _, c := range r.sources {
						res.counts[f][c]++
					}
					continue
				}
				res.counts[f][r.facet[f]]++
			}
		}
	}
	ix.sort(hits, q)
	res.total = len(hits)
	res.hits = hits
	return res
}

func anyIn(have, want []uint32) bool {
	for _, h := range have {
		if slices.Contains(want, h) {
			return true
		}
	}
	return false
}

func (ix *index) sort(hits []int, q Query) {
	if q.Sort == "" {
		if q.Desc {
			slices.Reverse(hits)
		}
		return
	}
	es := ix.entries
	var by func(a, b int) int
	switch q.Sort {
	case "text":
		by = func(a, b int) int { return cmp.Compare(ix.rows[a].text, ix.rows[b].text) }
	case "canonical":
		by = func(a, b int) int { return cmp.Compare(ix.rows[a].canon, ix.rows[b].canon) }
	case "confidence":
		by = func(a, b int) int { return cmp.Compare(es[a].Confidence, es[b].Confidence) }
	case "count":
		by = func(a, b int) int { return cmp.Compare(es[a].Count, es[b].Count) }
	case "category":
		by = func(a, b int) int { return cmp.Compare(es[a].Category, es[b].Category) }
	default:
		ax := classify.AxisIndex(strings.TrimPrefix(q.Sort, "axis."))
		by = func(a, b int) int { return cmp.Compare(es[a].Axes[ax], es[b].Axes[ax]) }
	}
	slices.SortStableFunc(hits, func(a, b int) int {
		c := by(a, b)
		if q.Desc {
			c = -c
		}
		if c == 0 {
			return cmp.Compare(a, b)
		}
		return c
	})
}

// page returns the hits of q's page.
func (r result) page(q Query) []int {
	from := (q.Page - 1) * q.PerPage
	if from >= len(r.hits) {
		return nil
	}
	return r.hits[from:min(from+q.PerPage, len(r.hits))]
}

// facetCounts lists facet f's values with their counts among the hits,
// most frequent first.
func (ix *index) facetCounts(r result, f int) []valueCount {
	var out []valueCount
	for c, n := range r.counts[f] {
		if n > 0 {
			out = append(out, valueCount{Value: ix.values[f][c], Count: n})
		}
	}
	slices.SortFunc(out, func(a, b valueCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out
}

type valueCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// synthetic resolves an "n<position>" page id given to an entry without an
// id of its own.
func (ix *index) synthetic(id string) (int, bool) {
	rest, ok := strings.CutPrefix(id, "n")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(rest)
	if err != nil || i < 0 || i >= len(ix.ids) || ix.ids[i] != id {
		return 0, false
	}
	return i, true
}

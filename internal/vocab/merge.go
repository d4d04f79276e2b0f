package vocab

import (
	"cmp"
	"slices"
	"strings"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/termkey"
)

// masterSlug starts the id of every master entry: "master-<canonical-slug>".
const masterSlug = "master"

// sourcesOf returns what an entry contributes to the master's sources:
// its own sources (a master read as input) or its document with its count.
func sourcesOf(e Entry, fallback string) []SourceCount {
	if len(e.Sources) > 0 {
		return e.Sources
	}
	src := e.Source
	if src == "" {
		src = fallback
	}
	return []SourceCount{{Source: src, Count: e.Count}}
}

// Merge merges entries that share a Key into one master entry: the
// highest-confidence entry gives the base (ties: the first by source,
// text and id), the confidence is the mean of the merged entries' (as in
// 1.0: the honest figure, not the most optimistic one), the axes are the
// confidence-weighted mean, tags and
// secondary intents are unioned, counts summed, every surface form kept in
// variants and every document with its count in sources. The base's pages
// and context are kept (pages of different books do not mix). The result
// does not depend on the order of es. IPFlag is left to the caller. No
// entries give the zero Entry.
func Merge(es []Entry) Entry {
	if len(es) == 0 {
		return Entry{}
	}
	es = slices.Clone(es)
	slices.SortStableFunc(es, func(a, b Entry) int {
		if c := cmp.Compare(b.Confidence, a.Confidence); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.Source, b.Source), strings.Compare(a.Text, b.Text),
			strings.Compare(a.ID, b.ID), strings.Compare(a.Canonical, b.Canonical), strings.Compare(string(a.POS), string(b.POS)))
	})
	out := es[0]
	out.Tags = slices.Clone(out.Tags)
	out.Pages = slices.Clone(out.Pages)
	var axes classify.Axes
	var weight, confSum float64
	count := 0
	sources := map[string]int{}
	variants := map[string]bool{}
	tags := []string{}
	secondary := map[classify.Intent]bool{}
	oldText := ""
	var review *Review
	for _, e := range es {
		w := float64(e.Confidence)
		confSum += w
		for i, v := range e.Axes {
			axes[i] += w * v
		}
		weight += w
		count += e.Count
		for _, s := range sourcesOf(e, "") {
			sources[s.Source] += s.Count
		}
		if e.Text != "" {
			variants[e.Text] = true
		}
		for _, v := range e.Variants {
			variants[v] = true
		}
		tags = append(tags, e.Tags...)
		for _, s := range e.SecondaryIntents {
			secondary[s] = true
		}
		if e.Intent != out.Intent && e.Intent != "" {
			secondary[e.Intent] = true
		}
		if oldText == "" {
			oldText = e.OldText
		}
		if review == nil && e.Review != nil {
			review = e.Review
		}
	}
	if weight > 0 {
		for i := range axes {
			axes[i] /= weight
		}
	} else {
		axes = classify.Axes{}
		for _, e := range es {
			for i, v := range e.Axes {
				axes[i] += v / float64(len(es))
			}
		}
	}
	out.Axes = axes
	out.Confidence = classify.Score(confSum / float64(len(es)))
	out.Count = count
	out.Tags = classify.NormalizeTags(tags)
	out.SecondaryIntents = []classify.Intent{}
	for _, in := range classify.Intents {
		if secondary[in] && in != out.Intent {
			out.SecondaryIntents = append(out.SecondaryIntents, in)
		}
	}
	out.Sources = make([]SourceCount, 0, len(sources))
	for s, n := range sources {
		out.Sources = append(out.Sources, SourceCount{Source: s, Count: n})
	}
	slices.SortFunc(out.Sources, func(a, b SourceCount) int { return strings.Compare(a.Source, b.Source) })
	names := make([]string, len(out.Sources))
	for i, s := range out.Sources {
		names[i] = s.Source
	}
	out.Source = strings.Join(names, "; ")
	out.Variants = make([]string, 0, len(variants))
	for v := range variants {
		out.Variants = append(out.Variants, v)
	}
	slices.Sort(out.Variants)
	out.OldText = oldText
	out.Review = review
	out.Text = displayText(out.Text, out.Category, es)
	out.ID = masterSlug + "-" + classify.Slug(out.Canonical)
	normalizeTerm(&out.Term)
	return out
}

// mergeAll groups entries by Key and merges each group.
func mergeAll(es []Entry) map[string]Entry {
	groups := map[string][]Entry{}
	for _, e := range es {
		k := termkey.Key(e.Canonical)
		if k == "" {
			k = termkey.Key(e.Text)
		}
		groups[k] = append(groups[k], e)
	}
	out := make(map[string]Entry, len(groups))
	for k, g := range groups {
		out[k] = Merge(g)
	}
	return out
}

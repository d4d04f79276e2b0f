package vocab

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/termkey"
)

// readResult is what the second pass read.
type readResult struct {
	all       []Entry  // every file's contributions, in file order
	inputs    []string // "path\tcontent hash" per file, for the master's source_hash
	pipelines map[string]bool
	cache     cache // the entries by file hash, for the next run
	read      int   // how many files were parsed
}

// readEntries is the second pass: the entries, parsed from new or changed
// files, from the cache for the others. It records each file in st.
func readEntries(ctx context.Context, masterDir string, ins []input, st *state) (readResult, error) {
	rd := readResult{pipelines: map[string]bool{}, cache: cache{Files: map[string][]Entry{}}}
	var ch cache
	chLoaded := false
	var parts [][]Entry
	total := 0
	for i := range ins {
		if err := ctx.Err(); err != nil {
			return rd, err
		}
		in := &ins[i]
		var entries []Entry
		if !in.parse {
			if !chLoaded {
				ch, chLoaded = loadCache(masterDir), true
			}
			entries = ch.Files[in.hash]
			if entries == nil {
				in.parse = true
			}
		}
		if in.parse {
			if in.data == nil {
				var err error
				if in.data, err = os.ReadFile(in.path); err != nil {
					return rd, fmt.Errorf("vocabulary %s: %w", in.path, err)
				}
				in.hash, in.content = sha256Hex(in.data), contentHash(in.data)
			}
			f, err := Parse(in.data)
			if err != nil {
				return rd, fmt.Errorf("vocabulary %s: %w", in.path, err)
			}
			in.data = nil
			entries, in.pipeline = contributions(f, in.rel), f.Metadata.Pipeline
			rd.read++
		}
		in.entries = len(entries)
		st.Files[in.rel] = in.stateEntry()
		rd.cache.Files[in.hash] = entries
		parts = append(parts, entries)
		total += len(entries)
		rd.inputs = append(rd.inputs, in.rel+"\t"+in.content)
		if in.pipeline != "" {
			rd.pipelines[in.pipeline] = true
		}
	}
	rd.all = make([]Entry, 0, total)
	for _, p := range parts {
		rd.all = append(rd.all, p...)
	}
	return rd, nil
}

// contributions returns a vocab file's entries ready to merge (reusing
// f.Entries' array), each with its document in Source (the file's source_path, else its own source,
// else the vocab file's path).
func contributions(f *File, rel string) []Entry {
	out := f.Entries[:0] // filtered in place: f is not used afterwards
	for _, e := range f.Entries {
		if strings.TrimSpace(e.Canonical) == "" && strings.TrimSpace(e.Text) == "" {
			continue
		}
		if len(e.Sources) == 0 {
			switch {
			case f.Metadata.SourcePath != "" && f.Metadata.Documents == 0:
				e.Source = f.Metadata.SourcePath
			case e.Source == "":
				e.Source = rel
			}
		}
		if e.Canonical == "" {
			e.Canonical = e.Text
		}
		out = append(out, e)
	}
	return out
}

// build merges entries, flags them, builds the review queue from the
// flagged and decided entries, and applies the decisions.
func build(all []Entry, bl *ipreview.Blocklist, ds *ipreview.Decisions) ([]Entry, []ipreview.QueueItem) {
	merged := mergeAll(all)
	keys := make([]string, 0, len(merged))
	for k := range merged {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	index := ds.Index()
	var queue []ipreview.QueueItem
	inQueue := map[string]int{}
	kept := make([]Entry, 0, len(keys))
	renamed := false
	for _, k := range keys {
		e := merged[k]
		e.OldText, e.Review = "", nil
		matches := matchEntry(bl, e)
		e.IPFlag, e.IPReason = bl.FlagFor(e.IPFlag, e.IPReason, matches)
		d, decided := index[k]
		if e.IPFlag != nil || decided {
			it := ipreview.QueueItem{
				Canonical: e.Canonical, Text: e.Text, Reason: e.IPReason, IPFlag: deref(e.IPFlag),
				Confidence: e.Confidence, Category: e.Category,
			}
			it.Explain(matches)
			for _, s := range e.Sources {
				it.Sources = append(it.Sources, s.Source)
			}
			if decided {
				d := d
				it.Decision = &d
			}
			inQueue[k] = len(queue)
			queue = append(queue, it)
		}
		if !decided {
			kept = append(kept, e)
			continue
		}
		if !applyDecision(&e, d, bl) {
			continue
		}
		renamed = renamed || d.Action == ipreview.Rename
		kept = append(kept, e)
		queue = queueRenamed(queue, inQueue, e, d, index, bl)
	}
	final := kept
	if renamed { // only a rename can make two keys equal
		final = remerge(kept, bl)
	}
	SortEntries(final)
	return final, queue
}

// remerge merges entries whose keys a rename made equal.
func remerge(kept []Entry, bl *ipreview.Blocklist) []Entry {
	final := kept
	groups := map[string][]Entry{}
	var order []string
	for _, e := range kept {
		k := termkey.Key(e.Canonical)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], e)
	}
	if len(order) != len(kept) {
		final = final[:0:0]
		for _, k := range order {
			g := groups[k]
			if len(g) == 1 {
				final = append(final, g[0])
				continue
			}
			m := Merge(g)
			m.IPFlag, m.IPReason = bl.FlagFor(m.IPFlag, m.IPReason, matchEntry(bl, m))
			final = append(final, m)
		}
	}
	return final
}

// applyDecision applies a review decision to a master entry and reports
// whether the entry stays (false: removed).
func applyDecision(e *Entry, d ipreview.Decision, bl *ipreview.Blocklist) bool {
	switch d.Action {
	case ipreview.Remove:
		return false
	case ipreview.Keep:
		e.Review = &Review{Decision: string(d.Action), IPFlag: deref(e.IPFlag), Note: d.Note}
		e.IPFlag, e.IPReason = nil, ""
	case ipreview.Rename:
		e.Review = &Review{Decision: string(d.Action), IPFlag: deref(e.IPFlag), Note: d.Note}
		e.OldText = e.Text
		e.Text = strings.TrimSpace(d.NewText)
		e.Canonical = e.Text
		e.Variants = []string{e.Text}
		e.ID = masterSlug + "-" + classify.Slug(e.Canonical)
		e.IPFlag, e.IPReason = bl.FlagFor(nil, "", matchEntry(bl, *e))
	}
	return true
}

// matchEntry returns the blocklist entries a master entry matches.
func matchEntry(bl *ipreview.Blocklist, e Entry) []ipreview.Match {
	texts := append([]string{e.Text, e.Canonical}, e.Variants...)
	return bl.MatchContext(e.Context, texts...)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

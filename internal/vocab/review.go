package vocab

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/termkey"
)

// ApplySummary says what applying review decisions changed.
type ApplySummary struct {
	Removed, Kept, Renamed int
	Flagged, Total         int  // after applying
	Written                bool // the master changed on disk
}

// ApplyOptions configure Apply.
type ApplyOptions struct {
	Dir         string // holds master.vocab.json, flagged.json, review-decisions.json
	Blocklist   *ipreview.Blocklist
	Now         func() time.Time
	KeepBackups int // as in ConsolidateOptions
}

// Apply applies the decisions in Dir/review-decisions.json to
// Dir/master.vocab.json (remove drops the term, keep clears it, rename
// replaces its text) and regenerates Dir/flagged.json to show them. A
// decision already applied is not applied twice.
func Apply(opts ApplyOptions) (ApplySummary, error) {
	var sum ApplySummary
	if opts.Dir == "" {
		opts.Dir = "."
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Blocklist == nil {
		opts.Blocklist = ipreview.Default()
	}
	if opts.KeepBackups == 0 {
		opts.KeepBackups = DefaultKeepBackups
	}
	if _, err := os.Stat(filepath.Join(opts.Dir, StateFile)); err == nil {
		return applyByRebuild(opts)
	}
	masterPath := filepath.Join(opts.Dir, MasterFile)
	master, err := Read(masterPath)
	if err != nil {
		return sum, err
	}
	ds, err := ipreview.ReadDecisions(filepath.Join(opts.Dir, ipreview.DecisionsFile))
	if err != nil {
		return sum, err
	}
	queuePath := filepath.Join(opts.Dir, ipreview.QueueFile)
	var items []ipreview.QueueItem
	if q, err := ipreview.ReadQueue(queuePath); err == nil {
		items = q.Items
	} else if !errors.Is(err, fs.ErrNotExist) {
		return sum, err
	}
	index := ds.Index()
	inQueue := map[string]int{}
	for i := range items {
		it := &items[i]
		inQueue[termkey.Key(it.Canonical)] = i
		it.Decision = nil
		if d, ok := index[termkey.Key(it.Canonical)]; ok {
			it.Decision = &d
		}
	}
	kept := make([]Entry, 0, len(master.Entries))
	for _, e := range master.Entries {
		k := termkey.Key(e.Canonical)
		d, decided := index[k]
		if _, queued := inQueue[k]; !queued && (e.IPFlag != nil || decided) {
			it := ipreview.QueueItem{Canonical: e.Canonical, Text: e.Text, Reason: e.IPReason, IPFlag: deref(e.IPFlag), Confidence: e.Confidence, Category: e.Category}
			it.Explain(matchEntry(opts.Blocklist, e))
			for _, s := range e.Sources {
				it.Sources = append(it.Sources, s.Source)
			}
			if decided {
				it.Decision = &d
			}
			inQueue[k] = len(items)
			items = append(items, it)
		}
		if !decided || (e.Review != nil && e.Review.Decision == string(d.Action) && d.Action != ipreview.Remove) {
			kept = append(kept, e)
			continue
		}
		switch d.Action {
		case ipreview.Remove:
			sum.Removed++
		case ipreview.Keep:
			sum.Kept++
		case ipreview.Rename:
			sum.Renamed++
		}
		if applyDecision(&e, d, opts.Blocklist) {
			kept = append(kept, e)
			items = queueRenamed(items, inQueue, e, d, index, opts.Blocklist)
		}
	}
	changed := sum.Removed+sum.Kept+sum.Renamed > 0
	if changed {
		final := remerge(kept, opts.Blocklist)
		SortEntries(final)
		if final == nil {
			final = []Entry{}
		}
		now := opts.Now()
		if opts.KeepBackups > 0 {
			if err := backup(masterPath, now, opts.KeepBackups); err != nil {
				return sum, fmt.Errorf("%w: %w", ErrWrite, err)
			}
		}
		master.Entries = final
		master.Metadata.SchemaVersion = SchemaVersion
		master.Metadata.ExtractedAt = Timestamp(now)
		master.count()
		if err := Write(masterPath, master); err != nil {
			return sum, fmt.Errorf("%w: %w", ErrWrite, err)
		}
		if err := CompressBackups(masterPath, opts.KeepBackups); err != nil {
			return sum, fmt.Errorf("%w: %w", ErrWrite, err)
		}
		sum.Written = true
	}
	sum.Total = len(master.Entries)
	sum.Flagged = master.Metadata.FlaggedCount
	q := ipreview.NewQueue(MasterFile, items, Timestamp(opts.Now()))
	if err := writeQueue(queuePath, q); err != nil {
		return sum, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return sum, nil
}

// queueRenamed puts a renamed entry that its new name still flags into the
// queue under that name (pending, unless the new name has a decision of
// its own): renaming "Melf's Acid Arrow" to "Bigby's Acid Arrow" must not
// take a protected name out of review. inQueue maps queued keys to their
// place in items and is updated.
func queueRenamed(items []ipreview.QueueItem, inQueue map[string]int, e Entry, d ipreview.Decision, index map[string]ipreview.Decision, bl *ipreview.Blocklist) []ipreview.QueueItem {
	if d.Action != ipreview.Rename || e.IPFlag == nil {
		return items
	}
	k := termkey.Key(e.Canonical)
	if _, queued := inQueue[k]; queued {
		return items
	}
	it := ipreview.QueueItem{Canonical: e.Canonical, Text: e.Text, Reason: e.IPReason, IPFlag: deref(e.IPFlag), Confidence: e.Confidence, Category: e.Category}
	it.Explain(matchEntry(bl, e))
	for _, s := range e.Sources {
		it.Sources = append(it.Sources, s.Source)
	}
	if nd, ok := index[k]; ok {
		it.Decision = &nd
	}
	inQueue[k] = len(items)
	return append(items, it)
}

// applyByRebuild applies the decisions where the vocab files the master
// was built from are at hand (a batch's output folder): the master is
// rebuilt from them, so every decision takes effect, an undo included
// ("keep" after "remove" brings the term back).
func applyByRebuild(opts ApplyOptions) (ApplySummary, error) {
	var sum ApplySummary
	// What the master held before says which decisions are new to it.
	before := map[string]Entry{}
	if m, err := Read(filepath.Join(opts.Dir, MasterFile)); err == nil {
		for _, e := range m.Entries {
			before[termkey.Key(e.Canonical)] = e
		}
	}
	cs, err := ConsolidateReviewed(context.Background(), ConsolidateOptions{Dir: opts.Dir, Blocklist: opts.Blocklist, Force: true, Now: opts.Now, KeepBackups: opts.KeepBackups})
	if err != nil {
		return sum, err
	}
	ds, err := ipreview.ReadDecisions(filepath.Join(opts.Dir, ipreview.DecisionsFile))
	if err != nil {
		return sum, err
	}
	for k, d := range ds.Index() {
		e, had := before[k]
		switch d.Action {
		case ipreview.Remove:
			if had {
				sum.Removed++
			}
		case ipreview.Keep:
			if !had || e.Review == nil || e.Review.Decision != string(ipreview.Keep) {
				sum.Kept++ // a new keep, or the undo of a removal
			}
		case ipreview.Rename:
			if had {
				sum.Renamed++
			}
		}
	}
	sum.Flagged, sum.Total, sum.Written = cs.Flagged, cs.Total, cs.Written
	return sum, nil
}

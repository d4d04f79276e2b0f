package serve

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/termkey"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// stamp identifies one version of a file on disk: a batch or a review
// command that rewrites it changes its size or modification time.
type stamp struct {
	exists bool
	size   int64
	mtime  time.Time
}

func statStamp(path string) stamp {
	info, err := os.Stat(path)
	if err != nil {
		return stamp{}
	}
	return stamp{exists: true, size: info.Size(), mtime: info.ModTime()}
}

// store holds the snapshot of the output folder and rebuilds it when one of
// the files it was read from changes on disk. A change made by a batch is
// read in the background while the old snapshot goes on answering (a large
// master takes seconds to read); a change the server made itself is read
// before the next answer, so the page that made it shows it.
type store struct {
	dir string
	// recheck is how long a snapshot is trusted before the files are
	// stat'ed again (the per-book files are walked only when the master,
	// the queue or the decisions changed).
	recheck time.Duration

	mu        sync.Mutex
	cur       *snapshot
	checked   time.Time
	stale     bool // the server wrote: reload before answering
	reloading bool // a background reload is running
}

func newStore(dir string) *store { return &store{dir: dir, recheck: 250 * time.Millisecond} }

// stamps are the files a snapshot depends on.
func (st *store) stamps() [3]stamp {
	return [3]stamp{
		statStamp(filepath.Join(st.dir, vocab.MasterFile)),
		statStamp(filepath.Join(st.dir, ipreview.QueueFile)),
		statStamp(filepath.Join(st.dir, ipreview.DecisionsFile)),
	}
}

// get returns the current snapshot, reloading it first when there is none
// or the server changed the files, and in the background when something
// else did.
func (st *store) get(ctx context.Context) (*snapshot, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := time.Now()
	if st.cur != nil && !st.stale && now.Sub(st.checked) < st.recheck {
		return st.cur, nil
	}
	st.checked = now
	stamps := st.stamps()
	if st.cur != nil && st.cur.stamps == stamps {
		st.stale = false
		return st.cur, nil
	}
	if st.cur != nil && !st.stale {
		if !st.reloading {
			st.reloading = true
			go st.reload(st.cur, stamps)
		}
		return st.cur, nil
	}
	snap, err := load(ctx, st.dir, stamps, st.cur)
	if err != nil {
		return nil, err
	}
	st.cur, st.stale = snap, false
	return snap, nil
}

// reload reads the folder and installs the result unless the server has
// moved past base meanwhile (its own write read a newer state).
func (st *store) reload(base *snapshot, stamps [3]stamp) {
	snap, err := load(context.Background(), st.dir, stamps, base)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.reloading = false
	if err == nil && !st.stale && st.cur == base {
		st.cur = snap
	}
}

// invalidate makes the next get reload before answering (after the server
// itself wrote).
func (st *store) invalidate() {
	st.mu.Lock()
	st.stale = true
	st.mu.Unlock()
}

// snapshot is one reading of the output folder, indexed for queries. It is
// never changed once built, so handlers share it without locks.
type snapshot struct {
	stamps   [3]stamp
	loadedAt time.Time
	*vocabData
	queue     *ipreview.Queue
	decisions map[string]ipreview.Decision // by termkey.Key
	problems  []string                     // files that could not be read, for the overview
}

// vocabData is what a snapshot reads from the master and the per-book
// files: the costly part, kept from one snapshot to the next while the
// master does not change (a review decision changes only the queue and the
// decisions).
type vocabData struct {
	// master is nil while the folder has no master.vocab.json yet.
	master *vocab.File
	index  *index
	books  []bookInfo
	// contexts holds, by termkey.Key, where each term occurs in the
	// per-book vocab files: the context sentence and pages of each book.
	contexts map[string][]bookContext
	problems []string
}

// bookInfo is one per-book vocab file of the folder.
type bookInfo struct {
	File    string `json:"file"`   // relative to the folder
	Source  string `json:"source"` // the document it was made from
	Terms   int    `json:"terms"`
	Flagged int    `json:"flagged"`
}

// bookContext is a term's use in one book.
type bookContext struct {
	Book    string `json:"book"`
	Text    string `json:"text"`
	Context string `json:"context"`
	Pages   []int  `json:"pages"`
	Count   int    `json:"count"`
}

// load reads the folder; prev, when not nil, is the snapshot before, whose
// vocabulary is kept if the master did not change.
func load(ctx context.Context, dir string, stamps [3]stamp, prev *snapshot) (*snapshot, error) {
	snap := &snapshot{stamps: stamps, loadedAt: time.Now(), decisions: map[string]ipreview.Decision{}}
	if prev != nil && prev.stamps[0] == stamps[0] {
		snap.vocabData = prev.vocabData
	} else {
		vd, err := loadVocab(ctx, dir, stamps[0].exists)
		if err != nil {
			return nil, err
		}
		snap.vocabData = vd
	}
	snap.problems = append(snap.problems, snap.vocabData.problems...)
	if stamps[1].exists {
		q, err := ipreview.ReadQueue(filepath.Join(dir, ipreview.QueueFile))
		if err != nil {
			snap.problems = append(snap.problems, err.Error())
		} else {
			snap.queue = q
		}
	}
	if stamps[2].exists {
		ds, err := ipreview.ReadDecisions(filepath.Join(dir, ipreview.DecisionsFile))
		if err != nil {
			snap.problems = append(snap.problems, err.Error())
		} else {
			snap.decisions = ds.Index()
		}
	}
	return snap, nil
}

func loadVocab(ctx context.Context, dir string, hasMaster bool) (*vocabData, error) {
	vd := &vocabData{contexts: map[string][]bookContext{}}
	if hasMaster {
		m, err := vocab.Read(filepath.Join(dir, vocab.MasterFile))
		if err != nil {
			// A master being rewritten is replaced atomically, so a read
			// error is a real problem: show it rather than fail every page.
			vd.problems = append(vd.problems, err.Error())
		} else {
			vd.master = m
		}
	}
	var entries []vocab.Entry
	if vd.master != nil {
		entries = vd.master.Entries
	}
	if err := vd.loadBooks(ctx, dir); err != nil {
		return nil, err
	}
	vd.index = newIndex(entries)
	return vd, nil
}

// loadBooks reads the per-book vocab files below dir, as consolidation
// finds them: hidden folders and the backups folder skipped.
func (snap *vocabData) loadBooks(ctx context.Context, dir string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (strings.HasPrefix(name, ".") || name == vocab.BackupDir) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(strings.ToLower(name), vocab.Suffix) ||
			strings.EqualFold(name, vocab.MasterFile) || !d.Type().IsRegular() {
			return nil
		}
		f, err := vocab.Read(path)
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if err != nil {
			snap.problems = append(snap.problems, fmt.Sprintf("%s: %v", rel, err))
			return nil
		}
		b := bookInfo{File: rel, Source: f.Metadata.SourcePath, Terms: len(f.Entries)}
		if b.Source == "" {
			b.Source = strings.TrimSuffix(rel, vocab.Suffix)
		}
		for _, e := range f.Entries {
			if e.IPFlag != nil {
				b.Flagged++
			}
			k := termkey.Key(e.Canonical)
			snap.contexts[k] = append(snap.contexts[k], bookContext{Book: b.Source, Text: e.Text, Context: e.Context, Pages: e.Pages, Count: e.Count})
		}
		snap.books = append(snap.books, b)
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", dir, err)
	}
	sort.Slice(snap.books, func(i, j int) bool { return snap.books[i].Source < snap.books[j].Source })
	return nil
}

// pending returns the queue's items still waiting for a decision, judged by
// the decisions file (fresher than the queue's copy of them).
func (snap *snapshot) reviewItems() (items []reviewItem, pending int) {
	if snap.queue == nil {
		return nil, 0
	}
	for _, it := range snap.queue.Items {
		ri := reviewItem{QueueItem: it}
		if d, ok := snap.decisions[termkey.Key(it.Canonical)]; ok {
			d := d
			ri.Decided = &d
		} else {
			pending++
		}
		items = append(items, ri)
	}
	return items, pending
}

// reviewItem is a queue item with the decision the decisions file holds.
type reviewItem struct {
	ipreview.QueueItem
	Decided *ipreview.Decision
}

package vocab

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/termkey"
)

// Names of the files consolidation keeps next to the master.
const (
	MasterFile = "master.vocab.json"
	// StateFile records each consolidated vocab file's hash, size and mtime.
	StateFile = ".corpora-consolidate.json"
	// CacheFile holds the entries read from each vocab file, so unchanged
	// files are not read again.
	CacheFile = ".corpora-consolidate.cache"
	// BackupDir holds timestamped copies of earlier masters.
	BackupDir = "backups"
	// DefaultKeepBackups is how many backups are kept when
	// ConsolidateOptions.KeepBackups is 0.
	DefaultKeepBackups = 5
)

// ErrWrite marks a result file that could not be written.
var ErrWrite = errors.New("cannot write")

// ErrNoVocab is returned when the folder holds no vocab file and there is
// no earlier master to update.
var ErrNoVocab = errors.New("no vocabulary files found")

// ConsolidateOptions configure Consolidate.
type ConsolidateOptions struct {
	Dir       string // folder searched for *.vocab.json
	Master    string // master path; default Dir/master.vocab.json
	Blocklist *ipreview.Blocklist
	Force     bool
	Now       func() time.Time
	// KeepBackups is how many timestamped backups of the master to keep
	// (default DefaultKeepBackups; negative: none).
	KeepBackups int
}

// ConsolidateSummary says what consolidation changed.
type ConsolidateSummary struct {
	New     int `json:"new"`
	Updated int `json:"updated"`
	Removed int `json:"removed"`
	Flagged int `json:"flagged"`
	Total   int `json:"total"`
	// Files is how many vocab files were merged; Read how many of them had
	// to be read (new or changed).
	Files int `json:"files"`
	Read  int `json:"read"`
	// Written says whether the master changed on disk.
	Written bool   `json:"written"`
	Master  string `json:"master"` // the master's path
	Queue   string `json:"queue"`  // the review queue's path
}

// String is the change summary: "+N new, ~N updated, -N removed, !N flagged".
func (s ConsolidateSummary) String() string {
	return fmt.Sprintf("+%d new, ~%d updated, -%d removed, !%d flagged", s.New, s.Updated, s.Removed, s.Flagged)
}

// state is StateFile.
type state struct {
	SchemaVersion string                `json:"schema_version"`
	Files         map[string]stateEntry `json:"files"` // key: path relative to Dir, "/"-separated
	// What the master was made from and what it holds, so an unchanged
	// run stops early and a changed one counts changes without reading
	// the earlier master.
	Master    fileStamp         `json:"master"`
	Blocklist string            `json:"blocklist_sha256"`
	Decisions string            `json:"decisions_sha256"`
	Total     int               `json:"total"`
	Flagged   int               `json:"flagged"`
	Digests   map[string]string `json:"digests"` // entry key -> SHA-256 prefix of its JSON
}

type stateEntry struct {
	Hash string `json:"sha256"`
	// Content is contentHash of the file: its SHA-256 without the
	// extracted_at timestamp, what the master's source_hash digests.
	Content  string `json:"content_sha256"`
	Size     int64  `json:"size"`
	ModTime  string `json:"mtime"`
	Entries  int    `json:"entries"`
	Pipeline string `json:"pipeline"`
}

// fileStamp identifies a file's version cheaply.
type fileStamp struct {
	Size    int64  `json:"size"`
	ModTime string `json:"mtime"`
}

func stampOf(path string) (fileStamp, bool) {
	info, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, false
	}
	return fileStamp{Size: info.Size(), ModTime: info.ModTime().UTC().Format(time.RFC3339Nano)}, true
}

// input is one vocab file being consolidated.
type input struct {
	rel, path     string
	size          int64
	mtime         string
	hash, content string // sha256Hex and contentHash of the file
	pipeline      string
	entries       int
	data          []byte // the file's bytes while they are needed
	parse         bool   // the entries must be parsed from the file
}

func (in input) stateEntry() stateEntry {
	return stateEntry{Hash: in.hash, Content: in.content, Size: in.size, ModTime: in.mtime, Entries: in.entries, Pipeline: in.pipeline}
}

// contentHash is the SHA-256 (hex) of a vocab file without the value of
// its first "extracted_at" (the metadata's timestamp), so that files equal
// apart from when they were made hash equal.
func contentHash(data []byte) string {
	h := sha256.New()
	key := []byte(`"extracted_at"`)
	i := bytes.Index(data, key)
	if i < 0 {
		h.Write(data)
		return hex.EncodeToString(h.Sum(nil))
	}
	j := i + len(key)
	// Skip ': "' and the value up to its closing quote (timestamps hold
	// no escapes).
	for j < len(data) && (data[j] == ' ' || data[j] == ':' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
		j++
	}
	if j < len(data) && data[j] == '"' {
		if k := bytes.IndexByte(data[j+1:], '"'); k >= 0 {
			j += k + 2
		}
	}
	h.Write(data[:i])
	h.Write(data[j:])
	return hex.EncodeToString(h.Sum(nil))
}

// cache is CacheFile: the entries of each vocab file by its hash.
type cache struct {
	Files map[string][]Entry // key: SHA-256 of the vocab file
}

// Consolidate merges every vocab file below opts.Dir into the master and
// regenerates the review queue next to it, applying the decisions in
// review-decisions.json there.
func Consolidate(ctx context.Context, opts ConsolidateOptions) (ConsolidateSummary, error) {
	var sum ConsolidateSummary
	if opts.Dir == "" {
		opts.Dir = "."
	}
	if opts.Master == "" {
		opts.Master = filepath.Join(opts.Dir, MasterFile)
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
	masterDir := filepath.Dir(opts.Master)
	sum.Master = opts.Master
	sum.Queue = filepath.Join(masterDir, ipreview.QueueFile)

	files, err := findVocab(ctx, opts.Dir, opts.Master)
	if err != nil {
		return sum, err
	}
	masterStamp, masterExists := stampOf(opts.Master)
	if len(files) == 0 && !masterExists {
		return sum, fmt.Errorf("%s: %w", opts.Dir, ErrNoVocab)
	}

	// First pass: each vocab file's hash, from the state when its size and
	// mtime are unchanged (as git's index does), else from its bytes. The
	// cache of parsed entries is only loaded once something changed.
	st := loadStateFile(masterDir)
	newState := state{SchemaVersion: SchemaVersion, Files: map[string]stateEntry{}}
	ins := make([]input, 0, len(files))
	sameInputs := len(files) == len(st.Files)
	stampsMoved := false
	for _, rel := range files {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		in := input{rel: rel, path: filepath.Join(opts.Dir, filepath.FromSlash(rel))}
		info, err := os.Stat(in.path)
		if err != nil {
			return sum, fmt.Errorf("vocabulary %s: %w", in.path, err)
		}
		in.size, in.mtime = info.Size(), info.ModTime().UTC().Format(time.RFC3339Nano)
		old, known := st.Files[rel]
		if !opts.Force && known && old.Size == in.size && old.ModTime == in.mtime && old.Content != "" {
			in.hash, in.content, in.pipeline, in.entries = old.Hash, old.Content, old.Pipeline, old.Entries
		} else {
			stampsMoved = true
			if in.data, err = os.ReadFile(in.path); err != nil {
				return sum, fmt.Errorf("vocabulary %s: %w", in.path, err)
			}
			in.hash = sha256Hex(in.data)
			if !opts.Force && known && old.Hash == in.hash && old.Content != "" {
				in.content, in.pipeline, in.entries = old.Content, old.Pipeline, old.Entries
				in.data = nil // the cache has its entries
			} else {
				in.content = contentHash(in.data)
				in.parse = true
			}
		}
		if !known || old.Hash != in.hash {
			sameInputs = false
		}
		ins = append(ins, in)
	}
	sum.Files = len(files)

	decPath := filepath.Join(masterDir, ipreview.DecisionsFile)
	decBytes, err := os.ReadFile(decPath)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return sum, fmt.Errorf("decisions %s: %w", decPath, err)
	}
	decisions, err := ipreview.ParseDecisionsOrEmpty(decBytes)
	if err != nil {
		return sum, fmt.Errorf("decisions %s: %w", decPath, err)
	}
	newState.Blocklist = opts.Blocklist.Hash()
	newState.Decisions = sha256Hex(decBytes)

	// Nothing changed since the last run: stop here, without loading the
	// cache. Files only touched get their new stamps recorded.
	_, queueExists := stampOf(sum.Queue)
	if !opts.Force && sameInputs && masterExists && queueExists && st.Master == masterStamp &&
		st.Blocklist == newState.Blocklist && st.Decisions == newState.Decisions && st.Digests != nil {
		sum.Total, sum.Flagged = st.Total, st.Flagged
		if stampsMoved {
			for _, in := range ins {
				st.Files[in.rel] = in.stateEntry()
			}
			if err := atomicfile.WriteJSON(filepath.Join(masterDir, StateFile), st); err != nil {
				return sum, fmt.Errorf("%w: %w", ErrWrite, err)
			}
		}
		return sum, nil
	}

	// Second pass: the entries, parsed from new or changed files, from the
	// cache for the others.
	var ch cache
	chLoaded := false
	newCache := cache{Files: map[string][]Entry{}}
	var parts [][]Entry
	total := 0
	var inputs []string
	pipelines := map[string]bool{}
	for i := range ins {
		if err := ctx.Err(); err != nil {
			return sum, err
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
				if in.data, err = os.ReadFile(in.path); err != nil {
					return sum, fmt.Errorf("vocabulary %s: %w", in.path, err)
				}
				in.hash, in.content = sha256Hex(in.data), contentHash(in.data)
			}
			f, err := Parse(in.data)
			if err != nil {
				return sum, fmt.Errorf("vocabulary %s: %w", in.path, err)
			}
			in.data = nil
			entries, in.pipeline = contributions(f, in.rel), f.Metadata.Pipeline
			sum.Read++
		}
		in.entries = len(entries)
		newState.Files[in.rel] = in.stateEntry()
		newCache.Files[in.hash] = entries
		parts = append(parts, entries)
		total += len(entries)
		inputs = append(inputs, in.rel+"\t"+in.content)
		if in.pipeline != "" {
			pipelines[in.pipeline] = true
		}
	}

	all := make([]Entry, 0, total)
	for _, p := range parts {
		all = append(all, p...)
	}
	master, queue := build(all, opts.Blocklist, decisions)
	pipe := make([]string, 0, len(pipelines))
	for p := range pipelines {
		pipe = append(pipe, p)
	}
	slices.Sort(pipe)
	sort.Strings(inputs)
	mf := &File{Entries: master}
	mf.Metadata = Metadata{
		SchemaVersion: SchemaVersion,
		SourcePath:    relTo(masterDir, opts.Dir),
		SourceHash:    sha256Hex([]byte(strings.Join(inputs, "\n"))),
		Pipeline:      strings.Join(pipe, "; "),
		Documents:     len(files),
	}
	mf.count()
	sum.Total = len(master)
	sum.Flagged = mf.Metadata.FlaggedCount
	newState.Total, newState.Flagged = sum.Total, sum.Flagged
	// Unchanged apart from the timestamp: keep the file as it is.
	now := opts.Now()
	mf.Metadata.ExtractedAt = Timestamp(now)

	var oldBytes []byte
	if masterExists {
		if oldBytes, err = os.ReadFile(opts.Master); err != nil {
			return sum, fmt.Errorf("earlier master %s: %w", opts.Master, err)
		}
	}
	var oldDigests map[string]string
	if masterExists {
		oldDigests = st.Digests
	}
	if masterExists && (oldDigests == nil || st.Master != masterStamp) {
		prev, err := Parse(oldBytes)
		if err != nil {
			return sum, fmt.Errorf("earlier master %s: %w", opts.Master, err)
		}
		if oldDigests, err = digestsOf(prev.Entries, oldBytes); err != nil {
			return sum, fmt.Errorf("earlier master %s: %w", opts.Master, err)
		}
	}
	if m := extractedAt.FindSubmatch(oldBytes); m != nil {
		mf.Metadata.ExtractedAt = string(m[1])
	}
	data, err := atomicfile.MarshalJSON(mf)
	if err != nil {
		return sum, err
	}
	if newState.Digests, err = digestsOf(master, data); err != nil {
		return sum, err
	}
	diff(&sum, oldDigests, newState.Digests)
	if !bytes.Equal(data, oldBytes) {
		// Only the timestamp differs from what was marshalled: swap it in
		// rather than encoding the whole master again.
		old := []byte(`"extracted_at": ` + strconv.Quote(mf.Metadata.ExtractedAt))
		data = bytes.Replace(data, old, []byte(`"extracted_at": `+strconv.Quote(Timestamp(now))), 1)
		if masterExists && opts.KeepBackups > 0 {
			if err := backup(opts.Master, now, opts.KeepBackups); err != nil {
				return sum, fmt.Errorf("%w: %w", ErrWrite, err)
			}
		}
		if err := atomicfile.WriteFile(opts.Master, data, 0o644); err != nil {
			return sum, fmt.Errorf("%w: %w", ErrWrite, err)
		}
		sum.Written = true
	}
	newState.Master, _ = stampOf(opts.Master)
	q := ipreview.NewQueue(filepath.Base(opts.Master), queue, Timestamp(now))
	if err := writeQueue(sum.Queue, q); err != nil {
		return sum, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	if err := saveState(masterDir, newState, newCache); err != nil {
		return sum, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return sum, nil
}

// extractedAt finds a vocab file's timestamp.
var extractedAt = regexp.MustCompile(`"extracted_at": "([^"]*)"`)

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
		e.IPFlag, e.IPReason = ipreview.FlagFor(e.IPFlag, matches)
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
			m.IPFlag, m.IPReason = ipreview.FlagFor(m.IPFlag, matchEntry(bl, m))
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
		e.IPFlag, e.IPReason = ipreview.FlagFor(nil, matchEntry(bl, *e))
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

// diff counts new, updated and removed entries between two digest sets.
func diff(sum *ConsolidateSummary, before, after map[string]string) {
	for k, d := range after {
		old, ok := before[k]
		switch {
		case !ok:
			sum.New++
		case old != d:
			sum.Updated++
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			sum.Removed++
		}
	}
}

// writeQueue writes the review queue unless only its timestamp would change.
func writeQueue(path string, q *ipreview.Queue) error {
	if old, err := ipreview.ReadQueue(path); err == nil {
		a, _ := atomicfile.MarshalJSON(old.Items)
		b, _ := atomicfile.MarshalJSON(q.Items)
		if bytes.Equal(a, b) && old.Vocabulary == q.Vocabulary && old.SchemaVersion == q.SchemaVersion {
			return nil
		}
	}
	return q.Write(path)
}

// findVocab lists every *.vocab.json below dir (relative, "/"-separated,
// sorted), skipping hidden folders and files, the master (by path, and
// also when reached through a link) and every file named master.vocab.json
// (an earlier master; batch never gives a document that name). Backups are
// named master.vocab.<time>.json, so they never match; a document folder
// that happens to be called "backups" is still read.
func findVocab(ctx context.Context, dir, master string) ([]string, error) {
	absMaster, _ := filepath.Abs(master)
	masterInfo, _ := os.Stat(master)
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			return nil // an unreadable subfolder is skipped, not fatal
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.Name()
		abs, _ := filepath.Abs(path)
		if d.IsDir() {
			if path != dir && strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(strings.ToLower(name), Suffix) ||
			strings.EqualFold(name, MasterFile) || abs == absMaster {
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if masterInfo != nil {
			if info, err := d.Info(); err == nil && os.SameFile(info, masterInfo) {
				return nil // the master reached by another path (a link)
			}
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return nil
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("vocabulary folder %s: %w", dir, err)
	}
	slices.Sort(out)
	return out, nil
}

// relTo returns path relative to base, "/"-separated, or path as given
// when it has no relative form: the master names its vocab folder
// relative to itself so that moving both keeps it right.
func relTo(base, path string) string {
	ab, err1 := filepath.Abs(base)
	ap, err2 := filepath.Abs(path)
	if err1 == nil && err2 == nil {
		if r, err := filepath.Rel(ab, ap); err == nil {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(path)
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// loadStateFile reads the state; anything unreadable gives an empty one,
// which only costs re-reading the vocab files.
func loadStateFile(dir string) state {
	st := state{Files: map[string]stateEntry{}}
	if data, err := os.ReadFile(filepath.Join(dir, StateFile)); err == nil {
		var s state
		if json.Unmarshal(data, &s) == nil && s.Files != nil {
			st = s
		}
	}
	return st
}

// loadCache reads the cache of parsed entries; anything unreadable gives
// an empty one.
func loadCache(dir string) cache {
	ch := cache{Files: map[string][]Entry{}}
	if f, err := os.Open(filepath.Join(dir, CacheFile)); err == nil {
		var c cache
		if gob.NewDecoder(f).Decode(&c) == nil && c.Files != nil {
			ch = c
		}
		f.Close()
	}
	return ch
}

func saveState(dir string, st state, ch cache) error {
	if err := atomicfile.Write(filepath.Join(dir, CacheFile), 0o644, func(w io.Writer) error {
		return gob.NewEncoder(w).Encode(ch)
	}); err != nil {
		return err
	}
	return atomicfile.WriteJSON(filepath.Join(dir, StateFile), st)
}

// backupStamp is the timestamp layout of backup names.
const backupStamp = "20060102T150405.000000000Z"

// isBackupName reports whether name is base.<backupStamp>.json, so that
// retention never deletes any other file of the folder.
func isBackupName(name, base string) bool {
	mid, ok := strings.CutPrefix(name, base+".")
	if !ok {
		return false
	}
	mid, ok = strings.CutSuffix(mid, ".json")
	if !ok {
		return false
	}
	_, err := time.Parse(backupStamp, mid)
	return err == nil
}

// backup copies the current master into BackupDir with a timestamp and
// keeps only the newest keep backups.
func backup(master string, now time.Time, keep int) error {
	data, err := os.ReadFile(master)
	if err != nil {
		return fmt.Errorf("back up %s: %w", master, err)
	}
	dir := filepath.Join(filepath.Dir(master), BackupDir)
	base := strings.TrimSuffix(filepath.Base(master), ".json")
	name := base + "." + now.UTC().Format(backupStamp) + ".json"
	if err := atomicfile.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		return fmt.Errorf("back up %s: %w", master, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var olds []string
	for _, e := range entries {
		if !e.IsDir() && isBackupName(e.Name(), base) {
			olds = append(olds, e.Name())
		}
	}
	slices.Sort(olds) // timestamps sort in time order
	for len(olds) > keep {
		os.Remove(filepath.Join(dir, olds[0]))
		olds = olds[1:]
	}
	return nil
}

package vocab

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/termkey"
)

// ReviewDir is the hidden folder, in an output folder, where consolidation
// keeps the vocab files as batch wrote them once review decisions have
// been applied to the visible ones.
const ReviewDir = ".corpora-review"

// originalsDir holds the unredacted vocab files, by the same relative path.
func originalsDir(dir string) string { return filepath.Join(dir, ReviewDir, "originals") }

// redactState records, for each visible vocab file, the SHA-256 of the
// redacted bytes last written there, so that a file batch wrote since
// (another hash) is taken as the new original.
type redactState struct {
	SchemaVersion string            `json:"schema_version"`
	Written       map[string]string `json:"written"`
}

func redactStatePath(dir string) string { return filepath.Join(dir, ReviewDir, "state.json") }

// ConsolidateReviewed is Consolidate for an output folder with review
// decisions: a reviewed name is gone from every file that ships. The
// master and the review queue are built, as Consolidate builds them, from
// the vocab files as batch wrote them, kept in ReviewDir with that
// unredacted master (so any decision can be undone, and consolidating
// twice changes nothing). The visible master and every per-document vocab
// file are then written redacted: a removed term's entries are dropped, a
// renamed one takes its new name (text, canonical, lemma, variants, id; no
// old_text), and a context sentence that names a removed term is dropped,
// one that names a renamed term says the new name.
//
// Without remove or rename decisions, and with nothing redacted before,
// it is Consolidate. Backups of the master are compressed and rotated
// (CompressBackups). A master elsewhere than Dir/master.vocab.json is
// consolidated as Consolidate does.
func ConsolidateReviewed(ctx context.Context, opts ConsolidateOptions) (ConsolidateSummary, error) {
	sum, err := consolidateReviewed(ctx, opts)
	if err == nil && sum.Master != "" && opts.KeepBackups >= 0 {
		if cerr := CompressBackups(sum.Master, opts.KeepBackups); cerr != nil {
			return sum, fmt.Errorf("%w: %w", ErrWrite, cerr)
		}
	}
	return sum, err
}

func consolidateReviewed(ctx context.Context, opts ConsolidateOptions) (ConsolidateSummary, error) {
	if opts.Dir == "" {
		opts.Dir = "."
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.KeepBackups == 0 {
		opts.KeepBackups = DefaultKeepBackups
	}
	def := filepath.Join(opts.Dir, MasterFile)
	if opts.Master != "" && filepath.Clean(opts.Master) != filepath.Clean(def) {
		return Consolidate(ctx, opts)
	}
	decPath := filepath.Join(opts.Dir, ipreview.DecisionsFile)
	ds, err := ipreview.ReadDecisions(decPath)
	if err != nil {
		return ConsolidateSummary{}, err
	}
	index := ds.Index()
	changing := false
	for _, d := range index {
		if d.Action != ipreview.Keep {
			changing = true
		}
	}
	hidden := filepath.Join(opts.Dir, ReviewDir)
	if _, err := os.Stat(originalsDir(opts.Dir)); !changing && errors.Is(err, fs.ErrNotExist) {
		return Consolidate(ctx, opts)
	}
	rels, err := syncOriginals(ctx, opts.Dir)
	if err != nil {
		return ConsolidateSummary{}, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	// The originals and the unredacted master are kept gzipped; the
	// consolidation runs on plain copies in a work folder removed after.
	work := filepath.Join(hidden, "work")
	_ = os.RemoveAll(work)
	defer os.RemoveAll(work)
	workOrig := filepath.Join(work, "originals")
	for _, rel := range rels {
		data, err := readGz(filepath.Join(originalsDir(opts.Dir), filepath.FromSlash(rel)+".gz"))
		if err == nil {
			err = writePlain(filepath.Join(workOrig, filepath.FromSlash(rel)), data)
		}
		if err != nil {
			return ConsolidateSummary{}, fmt.Errorf("%w: %w", ErrWrite, err)
		}
	}
	// The unredacted master; the first time, the visible one.
	workMaster := filepath.Join(work, MasterFile)
	data, err := readGz(filepath.Join(hidden, MasterFile+".gz"))
	if errors.Is(err, fs.ErrNotExist) {
		data, err = os.ReadFile(def)
	}
	switch {
	case err == nil:
		if err := writePlain(workMaster, data); err != nil {
			return ConsolidateSummary{}, fmt.Errorf("%w: %w", ErrWrite, err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return ConsolidateSummary{}, err
	}
	if err := mirror(decPath, filepath.Join(work, ipreview.DecisionsFile), true); err != nil {
		return ConsolidateSummary{}, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	inner := opts
	inner.Dir, inner.Master, inner.KeepBackups, inner.Force = workOrig, workMaster, -1, true
	sum, err := Consolidate(ctx, inner)
	sum.Master, sum.Queue = def, filepath.Join(opts.Dir, ipreview.QueueFile)
	if err != nil {
		return sum, err
	}
	if err := mirror(filepath.Join(work, ipreview.QueueFile), sum.Queue, true); err != nil {
		return sum, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	written, err := redactOutputs(opts.Dir, workOrig, workMaster, rels, index, opts.Now(), opts.KeepBackups)
	if err != nil {
		return sum, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	if err := gzipTo(workMaster, filepath.Join(hidden, MasterFile+".gz")); err != nil {
		return sum, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	sum.Written = written
	return sum, nil
}

// readGz returns the decompressed bytes of the gzip file at path.
func readGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// writePlain writes a work copy (removed after the run).
func writePlain(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// gzipBytes compresses data.
func gzipBytes(data []byte) ([]byte, error) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// gzipTo writes the file at from, gzipped, to to (atomically).
func gzipTo(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	z, err := gzipBytes(data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(to, z, 0o644)
}

// UnredactedMaster reads the master as consolidation built it before
// review redaction (kept gzipped in ReviewDir), or the visible master
// where there is none.
func UnredactedMaster(dir string) (*File, error) {
	data, err := readGz(filepath.Join(dir, ReviewDir, MasterFile+".gz"))
	if err != nil {
		return Read(filepath.Join(dir, MasterFile))
	}
	return Parse(data)
}

// EachOriginal calls fn with every vocab file of the output folder dir as
// batch wrote it (before review redaction), and reports whether there were
// any kept.
func EachOriginal(dir string, fn func(*File)) bool {
	od := originalsDir(dir)
	found := false
	_ = filepath.WalkDir(od, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, Suffix+".gz") {
			return nil
		}
		found = true
		if data, err := readGz(path); err == nil {
			if f, err := Parse(data); err == nil {
				fn(f)
			}
		}
		return nil
	})
	return found
}

// mirror copies the file at from to to when their bytes differ. A missing
// from removes to when always is set, and is left alone otherwise (then a
// to that exists is kept).
func mirror(from, to string, always bool) error {
	data, err := os.ReadFile(from)
	if errors.Is(err, fs.ErrNotExist) {
		if always {
			if err := os.Remove(to); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		return nil
	}
	if err != nil {
		return err
	}
	old, err := os.ReadFile(to)
	if err == nil && (bytes.Equal(old, data) || !always) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(to, data, 0o644)
}

// syncOriginals makes ReviewDir/originals hold, for every visible vocab
// file of dir, the file as batch wrote it: a visible file that is not what
// redaction last wrote there is new and becomes the original. Originals
// whose visible file is gone are removed. It returns the relative paths.
func syncOriginals(ctx context.Context, dir string) ([]string, error) {
	rels, err := findVocab(ctx, dir, filepath.Join(dir, MasterFile))
	if err != nil {
		return nil, err
	}
	st := loadRedactState(dir)
	od := originalsDir(dir)
	keep := map[string]bool{}
	for _, rel := range rels {
		keep[rel] = true
		vis := filepath.Join(dir, filepath.FromSlash(rel))
		orig := filepath.Join(od, filepath.FromSlash(rel)) + ".gz"
		data, err := os.ReadFile(vis)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(orig); err == nil && st.Written[rel] == sha256Hex(data) {
			continue // the visible file is our redaction of the original
		}
		if err := os.MkdirAll(filepath.Dir(orig), 0o755); err != nil {
			return nil, err
		}
		z, err := gzipBytes(data)
		if err != nil {
			return nil, err
		}
		if err := atomicfile.WriteFile(orig, z, 0o644); err != nil {
			return nil, err
		}
		delete(st.Written, rel)
	}
	_ = filepath.WalkDir(od, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, rerr := filepath.Rel(od, strings.TrimSuffix(path, ".gz"))
		if rerr == nil && !keep[filepath.ToSlash(rel)] {
			os.Remove(path)
		}
		return nil
	})
	for rel := range st.Written {
		if !keep[rel] {
			delete(st.Written, rel)
		}
	}
	return rels, saveRedactState(dir, st)
}

func loadRedactState(dir string) redactState {
	st := redactState{Written: map[string]string{}}
	if data, err := os.ReadFile(redactStatePath(dir)); err == nil {
		var s redactState
		if json.Unmarshal(data, &s) == nil && s.Written != nil {
			st = s
		}
	}
	return st
}

func saveRedactState(dir string, st redactState) error {
	st.SchemaVersion = SchemaVersion
	return atomicfile.WriteJSON(redactStatePath(dir), st)
}

// redactOutputs writes every visible vocab file as its original redacted
// by the decisions, and redacts the master's contexts and renamed entries.
func redactOutputs(dir, od, unredacted string, rels []string, index map[string]ipreview.Decision, now time.Time, keep int) (written bool, err error) {
	files := make([]*File, len(rels))
	for i, rel := range rels {
		f, err := Read(filepath.Join(od, filepath.FromSlash(rel)))
		if err != nil {
			return false, err
		}
		files[i] = f
	}
	mpath := filepath.Join(dir, MasterFile)
	m, err := Read(unredacted)
	if err != nil {
		return false, err
	}
	r := newRedactor(index, files)
	for _, e := range m.Entries {
		if e.Review != nil && e.Review.Decision == string(ipreview.Rename) {
			r.flags[termkey.Key(e.Canonical)] = e
		}
	}
	st := loadRedactState(dir)
	for i, rel := range rels {
		f := files[i]
		out := f.Entries[:0]
		for _, e := range f.Entries {
			if r.apply(&e, false) {
				out = append(out, e)
			}
		}
		f.Entries = out
		f.count()
		data, err := Marshal(f)
		if err != nil {
			return false, err
		}
		vis := filepath.Join(dir, filepath.FromSlash(rel))
		if old, err := os.ReadFile(vis); err != nil || !bytes.Equal(old, data) {
			if err := atomicfile.WriteFile(vis, data, 0o644); err != nil {
				return false, err
			}
		}
		st.Written[rel] = sha256Hex(data)
	}
	if err := saveRedactState(dir, st); err != nil {
		return false, err
	}
	for i := range m.Entries {
		r.apply(&m.Entries[i], true)
	}
	m.Metadata.SourcePath = "."
	data, err := Marshal(m)
	if err != nil {
		return false, err
	}
	old, err := os.ReadFile(mpath)
	if err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err == nil && keep > 0 {
		if err := backup(mpath, now, keep); err != nil {
			return false, err
		}
	}
	return true, atomicfile.WriteFile(mpath, data, 0o644)
}

// redactor applies remove and rename decisions to entries.
type redactor struct {
	index   map[string]ipreview.Decision // by Key of the canonical form
	removed *regexp.Regexp               // the removed terms' surface forms
	renamed *regexp.Regexp               // the renamed terms' surface forms
	newText map[string]string            // folded surface form -> new text
	flags   map[string]Entry             // renamed master entries by Key: their flag under the new name
}

// newRedactor collects the surface forms (texts, canonical forms, lemmas,
// variants) of the decided terms from the entries of files.
func newRedactor(index map[string]ipreview.Decision, files []*File) *redactor {
	r := &redactor{index: index, newText: map[string]string{}, flags: map[string]Entry{}}
	var removed, renamed []string
	seen := map[string]bool{}
	add := func(form string, d ipreview.Decision) {
		form = strings.TrimSpace(form)
		if form == "" || seen[foldForm(form)] {
			return
		}
		seen[foldForm(form)] = true
		switch d.Action {
		case ipreview.Remove:
			removed = append(removed, form)
		case ipreview.Rename:
			renamed = append(renamed, form)
			r.newText[foldForm(form)] = strings.TrimSpace(d.NewText)
		}
	}
	for _, f := range files {
		for _, e := range f.Entries {
			d, ok := index[termkey.Key(e.Canonical)]
			if !ok || d.Action == ipreview.Keep {
				continue
			}
			add(e.Text, d)
			add(e.Canonical, d)
			add(e.Lemma, d)
			for _, v := range e.Variants {
				add(v, d)
			}
		}
	}
	r.removed, r.renamed = formsRegexp(removed), formsRegexp(renamed)
	return r
}

// foldForm is how surface forms are compared: lower case, one apostrophe.
func foldForm(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "’", "'"))
}

// formsRegexp matches any of forms as whole words, in any case and with
// either apostrophe; longer forms first. Nil for none.
func formsRegexp(forms []string) *regexp.Regexp {
	if len(forms) == 0 {
		return nil
	}
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	alts := make([]string, len(forms))
	for i, f := range forms {
		q := regexp.QuoteMeta(strings.ReplaceAll(f, "’", "'"))
		alts[i] = strings.ReplaceAll(q, "'", "['’]")
	}
	return regexp.MustCompile(`(?i)(?:^|[^\pL\pN])(` + strings.Join(alts, "|") + `)(?:$|[^\pL\pN])`)
}

// apply redacts e and reports whether it stays (false: a removed term).
// In the master (master true) consolidation has already dropped removed
// terms and renamed the others; their lemma and old text are fixed here.
func (r *redactor) apply(e *Entry, master bool) bool {
	d, decided := r.index[termkey.Key(e.Canonical)]
	if master && e.Review != nil && e.Review.Decision == string(ipreview.Rename) {
		e.Lemma = strings.ToLower(e.Text)
		e.OldText = ""
		decided = false
	}
	if decided && !master {
		switch d.Action {
		case ipreview.Remove:
			return false
		case ipreview.Rename:
			renameEntry(e, strings.TrimSpace(d.NewText))
			m := r.flags[termkey.Key(e.Canonical)]
			e.IPFlag, e.IPReason = m.IPFlag, m.IPReason
		}
	}
	e.Context = r.context(e.Context, e.Text)
	return true
}

// renameEntry gives a per-document entry its new name.
func renameEntry(e *Entry, text string) {
	oldSlug := classify.Slug(e.Canonical)
	if strings.HasSuffix(e.ID, oldSlug) {
		e.ID = strings.TrimSuffix(e.ID, oldSlug) + classify.Slug(text)
	}
	e.Text, e.Canonical, e.Lemma = text, text, strings.ToLower(text)
	if len(e.Variants) > 0 {
		e.Variants = []string{text}
	}
}

// context returns a context sentence without the decided names: empty
// when it names a removed term (other than inside the entry's own text),
// with the new name where it names a renamed one.
func (r *redactor) context(ctx, own string) string {
	if ctx == "" {
		return ctx
	}
	if r.removed != nil {
		ownF := foldForm(own)
		for _, m := range r.removed.FindAllStringSubmatch(ctx, -1) {
			if !strings.Contains(ownF, foldForm(m[1])) {
				return ""
			}
		}
	}
	if r.renamed == nil {
		return ctx
	}
	// Replace each match's group; the boundary characters around it stay.
	var b strings.Builder
	last := 0
	for _, loc := range r.renamed.FindAllStringSubmatchIndex(ctx, -1) {
		s, e := loc[2], loc[3]
		b.WriteString(ctx[last:s])
		b.WriteString(r.newText[foldForm(ctx[s:e])])
		last = e
	}
	if last == 0 {
		return ctx
	}
	b.WriteString(ctx[last:])
	return b.String()
}

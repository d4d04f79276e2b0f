package vocab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/ipreview"
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

// Consolidate merges every vocab file below opts.Dir into the master and
// regenerates the review queue next to it, applying the decisions in
// review-decisions.json there. Its stages are in their own files: scan
// (consolidate_scan.go), state and cache (consolidate_state.go), build
// (consolidate_build.go), diff, write and backup (consolidate_write.go).
func Consolidate(ctx context.Context, opts ConsolidateOptions) (ConsolidateSummary, error) {
	opts = opts.withDefaults()
	masterDir := filepath.Dir(opts.Master)
	sum := ConsolidateSummary{Master: opts.Master, Queue: filepath.Join(masterDir, ipreview.QueueFile)}

	files, err := findVocab(ctx, opts.Dir, opts.Master)
	if err != nil {
		return sum, err
	}
	masterStamp, masterExists := stampOf(opts.Master)
	if len(files) == 0 && !masterExists {
		return sum, fmt.Errorf("%s: %w", opts.Dir, ErrNoVocab)
	}
	st := loadStateFile(masterDir)
	sc, err := scan(ctx, opts, files, st)
	if err != nil {
		return sum, err
	}
	sum.Files = len(files)
	decisions, decHash, err := readDecisions(filepath.Join(masterDir, ipreview.DecisionsFile))
	if err != nil {
		return sum, err
	}
	newState := state{SchemaVersion: SchemaVersion, Files: map[string]stateEntry{}, Blocklist: opts.Blocklist.Hash(), Decisions: decHash}

	// Nothing changed since the last run: stop here, without loading the
	// cache. Files only touched get their new stamps recorded.
	_, queueExists := stampOf(sum.Queue)
	if !opts.Force && sc.sameInputs && masterExists && queueExists && st.Master == masterStamp &&
		st.Blocklist == newState.Blocklist && st.Decisions == newState.Decisions && st.Digests != nil {
		sum.Total, sum.Flagged = st.Total, st.Flagged
		if sc.stampsMoved {
			if err := recordStamps(masterDir, st, sc.ins); err != nil {
				return sum, fmt.Errorf("%w: %w", ErrWrite, err)
			}
		}
		return sum, nil
	}

	rd, err := readEntries(ctx, masterDir, sc.ins, &newState)
	if err != nil {
		return sum, err
	}
	sum.Read = rd.read
	master, queue := build(rd.all, opts.Blocklist, decisions)
	mf := masterFile(master, rd, relTo(masterDir, opts.Dir), len(files))
	sum.Total = len(master)
	sum.Flagged = mf.Metadata.FlaggedCount
	newState.Total, newState.Flagged = sum.Total, sum.Flagged

	var prev earlierMaster
	if masterExists {
		if prev, err = readEarlierMaster(opts.Master, st, masterStamp); err != nil {
			return sum, err
		}
	}
	now := opts.Now()
	w, err := writeMaster(opts.Master, mf, prev, now, opts.KeepBackups)
	if err != nil {
		return sum, err
	}
	newState.Digests = w.digests
	diff(&sum, prev.digests, w.digests)
	sum.Written = w.written
	newState.Master, _ = stampOf(opts.Master)
	q := ipreview.NewQueue(filepath.Base(opts.Master), queue, Timestamp(now))
	if err := writeQueue(sum.Queue, q); err != nil {
		return sum, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	if err := saveState(masterDir, newState, rd.cache); err != nil {
		return sum, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return sum, nil
}

// withDefaults fills in the options left zero.
func (opts ConsolidateOptions) withDefaults() ConsolidateOptions {
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
	return opts
}

// readDecisions reads the review decisions at path (none when it does not
// exist) and the SHA-256 of its bytes, which the state records.
func readDecisions(path string) (*ipreview.Decisions, string, error) {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, "", fmt.Errorf("decisions %s: %w", path, err)
	}
	ds, err := ipreview.ParseDecisionsOrEmpty(data)
	if err != nil {
		return nil, "", fmt.Errorf("decisions %s: %w", path, err)
	}
	return ds, sha256Hex(data), nil
}

// masterFile is the master made of the merged entries: its metadata names
// the vocab folder (relative to the master), digests the inputs' paths and
// contents, and joins their pipelines. Its timestamp is left to writeMaster.
func masterFile(entries []Entry, rd readResult, folder string, documents int) *File {
	pipe := make([]string, 0, len(rd.pipelines))
	for p := range rd.pipelines {
		pipe = append(pipe, p)
	}
	slices.Sort(pipe)
	inputs := slices.Clone(rd.inputs)
	sort.Strings(inputs)
	mf := &File{Entries: entries}
	mf.Metadata = Metadata{
		SchemaVersion: SchemaVersion,
		SourcePath:    folder,
		SourceHash:    sha256Hex([]byte(strings.Join(inputs, "\n"))),
		Pipeline:      strings.Join(pipe, "; "),
		Documents:     documents,
	}
	mf.count()
	return mf
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

package vocab

import (
	"encoding/gob"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/corpora-tools/corpora/internal/atomicfile"
)

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

// cache is CacheFile: the entries of each vocab file by its hash.
type cache struct {
	Files map[string][]Entry // key: SHA-256 of the vocab file
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

// recordStamps writes the state again with the files' new sizes and
// mtimes, when they were only touched.
func recordStamps(dir string, st state, ins []input) error {
	for _, in := range ins {
		st.Files[in.rel] = in.stateEntry()
	}
	return atomicfile.WriteJSON(filepath.Join(dir, StateFile), st)
}

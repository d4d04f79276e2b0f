package vocab

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

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

// scanned is what scan learnt of the vocab files.
type scanned struct {
	ins []input
	// sameInputs: the same files with the same hashes as in the state.
	sameInputs bool
	// stampsMoved: some file's size or mtime differs from the state's.
	stampsMoved bool
}

// scan is the first pass: each vocab file's hash, from the state when its
// size and mtime are unchanged (as git's index does), else from its bytes.
// The cache of parsed entries is only loaded once something changed.
func scan(ctx context.Context, opts ConsolidateOptions, files []string, st state) (scanned, error) {
	sc := scanned{ins: make([]input, 0, len(files)), sameInputs: len(files) == len(st.Files)}
	for _, rel := range files {
		if err := ctx.Err(); err != nil {
			return sc, err
		}
		in := input{rel: rel, path: filepath.Join(opts.Dir, filepath.FromSlash(rel))}
		info, err := os.Stat(in.path)
		if err != nil {
			return sc, fmt.Errorf("vocabulary %s: %w", in.path, err)
		}
		in.size, in.mtime = info.Size(), info.ModTime().UTC().Format(time.RFC3339Nano)
		old, known := st.Files[rel]
		if !opts.Force && known && old.Size == in.size && old.ModTime == in.mtime && old.Content != "" {
			in.hash, in.content, in.pipeline, in.entries = old.Hash, old.Content, old.Pipeline, old.Entries
		} else {
			sc.stampsMoved = true
			if in.data, err = os.ReadFile(in.path); err != nil {
				return sc, fmt.Errorf("vocabulary %s: %w", in.path, err)
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
			sc.sameInputs = false
		}
		sc.ins = append(sc.ins, in)
	}
	return sc, nil
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

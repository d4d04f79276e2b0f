package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/ipreview"
)

// RecordedBlocklist is the copy of the -b blocklist a batch keeps in its
// output folder, so that a later consolidate, review apply or batch on the
// same folder flags by the same list without being told again.
const RecordedBlocklist = ".corpora-blocklist.json"

// LegacyBlocklist is where 1.0 looked for its blocklist when -b was not
// given: data/ip-blocklist.json in the working directory.
var LegacyBlocklist = filepath.Join("data", "ip-blocklist.json")

// legacyBlocklist returns LegacyBlocklist when it exists, saying so, or "".
func legacyBlocklist(s *Streams) string {
	if info, err := os.Stat(LegacyBlocklist); err != nil || info.IsDir() {
		return ""
	}
	fmt.Fprintf(s.Err, "corpora: using the blocklist %s (1.0's default location; -b chooses another)\n", LegacyBlocklist)
	return LegacyBlocklist
}

// outputBlocklist loads the blocklist for a command that works on the
// output folder dir: the -b file when given, else data/ip-blocklist.json
// in the working directory as 1.0 read it on every run (either recorded in
// dir when record is set, announcing a change from the recorded one, so
// that an edit re-flags), else the one recorded there, else the embedded
// default.
func outputBlocklist(s *Streams, flagPath, dir string, record bool) (*ipreview.Blocklist, error) {
	rec := filepath.Join(dir, RecordedBlocklist)
	if flagPath == "" {
		flagPath = legacyBlocklist(s)
	}
	path := flagPath
	if path == "" {
		if _, err := os.Stat(rec); err == nil {
			path = rec
			fmt.Fprintf(s.Err, "corpora: using the blocklist recorded in %s (-b replaces it)\n", rec)
		}
	}
	bl, err := loadBlocklist(path)
	if err != nil || flagPath == "" || !record {
		return bl, err
	}
	data, err := os.ReadFile(flagPath)
	if err != nil {
		return nil, exitErr(ExitNoInput, err)
	}
	old, err := os.ReadFile(rec)
	switch {
	case err == nil && bytes.Equal(old, data):
		return bl, nil
	case err == nil:
		fmt.Fprintf(s.Err, "corpora: blocklist changed: %s replaces the one recorded in %s\n", flagPath, dir)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, exitErr(ExitCantCreate, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, exitErr(ExitCantCreate, err)
	}
	if err := atomicfile.WriteFile(rec, data, 0o644); err != nil {
		return nil, exitErr(ExitCantCreate, err)
	}
	return bl, nil
}

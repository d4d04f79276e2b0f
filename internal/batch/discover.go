package batch

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// Document is a source document found under the input folder.
type Document struct {
	// Path is the document's location on disk, below the input folder as the
	// user named it.
	Path string
	// Rel is the path relative to the input folder, "/"-separated: the
	// manifest key and the name shown to the user.
	Rel string
	// VocabRel is the vocab file's path relative to the output folder,
	// "/"-separated: <relative dir>/<stem>.vocab.json, or
	// <relative dir>/<stem>.<ext>.vocab.json when two documents of the folder
	// share a stem.
	VocabRel string
}

// Discover finds the supported documents below root, sorted by Rel. It descends
// into sub-folders and follows symbolic links, visiting each real folder and
// file once (so a link loop ends); it skips hidden files and folders (names
// starting with ".") and the folder skip, normally the output folder. warnf,
// when set, hears about entries that could not be read.
func Discover(ctx context.Context, root, skip string, warnf func(format string, args ...any)) ([]Document, error) {
	if warnf == nil {
		warnf = func(string, ...any) {}
	}
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("input folder: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("input folder %s: not a folder", root)
	}
	skipReal := ""
	if skip != "" {
		if r, err := realPath(skip); err == nil {
			skipReal = r
		}
	}
	d := discoverer{ctx: ctx, skip: skipReal, warnf: warnf, seen: map[string]bool{}}
	rootReal, err := realPath(root)
	if err != nil {
		return nil, fmt.Errorf("input folder: %w", err)
	}
	d.seen[rootReal] = true
	if err := d.walk(root, ""); err != nil {
		return nil, err
	}
	sort.Slice(d.docs, func(i, j int) bool { return d.docs[i].Rel < d.docs[j].Rel })
	assignVocabPaths(d.docs)
	return d.docs, nil
}

type discoverer struct {
	ctx   context.Context
	skip  string
	warnf func(string, ...any)
	seen  map[string]bool // real paths of folders and files already visited
	docs  []Document
}

// walk lists dir, whose path relative to the root is rel ("" for the root).
func (d *discoverer) walk(dir, rel string) error {
	if err := d.ctx.Err(); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		if rel == "" {
			return fmt.Errorf("input folder: %w", err)
		}
		d.warnf("skipping folder %s: %v", rel, err)
		return nil
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dir, name)
		r := path.Join(rel, name)
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			info, err := os.Stat(p)
			if err != nil {
				d.warnf("skipping %s: %v", r, err)
				continue
			}
			mode = info.Mode().Type()
		}
		switch {
		case mode.IsDir():
			real, err := realPath(p)
			if err != nil {
				d.warnf("skipping folder %s: %v", r, err)
				continue
			}
			if real == d.skip || d.seen[real] {
				continue
			}
			d.seen[real] = true
			if err := d.walk(p, r); err != nil {
				return err
			}
		case mode.IsRegular() && document.Supported(name):
			real, err := realPath(p)
			if err != nil {
				d.warnf("skipping %s: %v", r, err)
				continue
			}
			if d.seen[real] {
				continue
			}
			d.seen[real] = true
			d.docs = append(d.docs, Document{Path: p, Rel: r})
		}
	}
	return nil
}

func realPath(p string) (string, error) {
	a, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(a)
}

// assignVocabPaths sets VocabRel: <dir>/<stem>.vocab.json, with the extension
// kept in the name for every document whose folder holds another document of
// the same stem (compared case-insensitively, so the layout also works on
// case-insensitive file systems). A name that is reserved (master.vocab.json,
// the master of consolidation, in any folder) or already taken keeps the
// extension too (books/master.pdf -> master.pdf.vocab.json), and then gets a
// number (<name>~2.vocab.json) until it is unique; docs are sorted, so the
// result is deterministic.
func assignVocabPaths(docs []Document) {
	key := func(d Document) string {
		dir, name := path.Split(d.Rel)
		return dir + strings.ToLower(strings.TrimSuffix(name, path.Ext(name)))
	}
	n := map[string]int{}
	for _, d := range docs {
		n[key(d)]++
	}
	taken := map[string]bool{}
	for i, d := range docs {
		dir, name := path.Split(d.Rel)
		ext := path.Ext(name)
		stem := strings.TrimSuffix(name, ext)
		if n[key(d)] > 1 {
			stem += "." + strings.TrimPrefix(ext, ".")
		}
		free := func(stem string) bool {
			file := stem + vocab.Suffix
			return !strings.EqualFold(file, vocab.MasterFile) && !taken[strings.ToLower(dir+file)]
		}
		if !free(stem) && n[key(d)] == 1 && ext != "" {
			stem += "." + strings.TrimPrefix(ext, ".")
		}
		for k := 2; !free(stem); k++ {
			if try := fmt.Sprintf("%s~%d", stem, k); free(try) {
				stem = try
			}
		}
		docs[i].VocabRel = dir + stem + vocab.Suffix
		taken[strings.ToLower(docs[i].VocabRel)] = true
	}
}

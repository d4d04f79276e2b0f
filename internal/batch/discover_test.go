package batch

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"b.PDF":                   "x",
		"a.txt":                   "x",
		"notes.rtf":               "x",
		"image.png":               "x",
		".hidden/secret.txt":      "x",
		"._appledouble.pdf":       "x",
		"output/old.vocab.json":   "x",
		"output/stale.txt":        "x",
		"sub/c.Markdown":          "x",
		"sub/deeper/d.htm":        "x",
		"sub/deeper/e.HTML":       "x",
		"sub/clash.pdf":           "x",
		"sub/Clash.epub":          "x",
		"sub/clash.docx":          "x",
		"sub/other.md":            "x",
		"sub/other.md.txt":        "x", // stem "other.md": no clash with other.md's stem "other"
		"weird.name.with.dots.md": "x",
	})
	// A link loop: sub/deeper/loop -> root, and a second path to a file.
	if err := os.Symlink(root, filepath.Join(root, "sub", "deeper", "loop")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	os.Symlink(filepath.Join(root, "a.txt"), filepath.Join(root, "z-link-to-a.txt"))
	os.Symlink(filepath.Join(root, "missing.txt"), filepath.Join(root, "broken.txt"))
	// A linked folder outside the root is followed.
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"far.md": "x"})
	os.Symlink(outside, filepath.Join(root, "linked"))

	var warnings []string
	docs, err := Discover(context.Background(), root, filepath.Join(root, "output"), func(f string, a ...any) { warnings = append(warnings, f) })
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var order []string
	for _, d := range docs {
		got[d.Rel] = d.VocabRel
		order = append(order, d.Rel)
		if d.Path != filepath.Join(root, filepath.FromSlash(d.Rel)) {
			t.Errorf("%s: path %s", d.Rel, d.Path)
		}
	}
	want := map[string]string{
		"a.txt":                   "a.vocab.json",
		"b.PDF":                   "b.vocab.json",
		"linked/far.md":           "linked/far.vocab.json",
		"sub/Clash.epub":          "sub/Clash.epub.vocab.json",
		"sub/c.Markdown":          "sub/c.vocab.json",
		"sub/clash.docx":          "sub/clash.docx.vocab.json",
		"sub/clash.pdf":           "sub/clash.pdf.vocab.json",
		"sub/deeper/d.htm":        "sub/deeper/d.vocab.json",
		"sub/deeper/e.HTML":       "sub/deeper/e.vocab.json",
		"sub/other.md":            "sub/other.vocab.json",
		"sub/other.md.txt":        "sub/other.md.vocab.json",
		"weird.name.with.dots.md": "weird.name.with.dots.vocab.json",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("discovered:\n%v\nwant:\n%v", got, want)
	}
	wantOrder := []string{"a.txt", "b.PDF", "linked/far.md", "sub/Clash.epub", "sub/c.Markdown", "sub/clash.docx", "sub/clash.pdf", "sub/deeper/d.htm", "sub/deeper/e.HTML", "sub/other.md", "sub/other.md.txt", "weird.name.with.dots.md"}
	if !reflect.DeepEqual(order, wantOrder) {
		t.Errorf("order:\n%v\nwant:\n%v", order, wantOrder)
	}
	if len(warnings) != 1 {
		t.Errorf("warnings %v, want one for the broken link", warnings)
	}
}

func TestDiscoverOutputElsewhere(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"output/book.txt": "x", "results/x.vocab.json": "x", "results/y.md": "x"})
	docs, err := Discover(context.Background(), root, filepath.Join(root, "results"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Rel != "output/book.txt" {
		t.Errorf("docs: %+v", docs)
	}
}

func TestDiscoverNotAFolder(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file.txt")
	os.WriteFile(f, []byte("x"), 0o644)
	if _, err := Discover(context.Background(), f, "", nil); err == nil {
		t.Error("no error for a file")
	}
	if _, err := Discover(context.Background(), filepath.Join(f, "nope"), "", nil); err == nil {
		t.Error("no error for a missing folder")
	}
}

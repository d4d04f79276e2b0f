package batch

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
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

func TestAssignVocabPathsReserved(t *testing.T) {
	tests := []struct {
		rels []string
		want []string
	}{
		{[]string{"master.pdf"}, []string{"master.pdf.vocab.json"}},
		{[]string{"MASTER.md"}, []string{"MASTER.md.vocab.json"}},
		{[]string{"sub/master.txt"}, []string{"sub/master.txt.vocab.json"}},
		{[]string{"master.epub", "master.pdf"}, []string{"master.epub.vocab.json", "master.pdf.vocab.json"}},
		// Names already given are not given twice.
		{[]string{"master.pdf", "master.pdf.md"}, []string{"master.pdf.vocab.json", "master.pdf.md.vocab.json"}},
		{[]string{"o.md", "o.md.txt", "o.txt"}, []string{"o.md.vocab.json", "o.md.txt.vocab.json", "o.txt.vocab.json"}},
		{[]string{"o.md", "o.md.txt", "o.md.txt.pdf", "o.txt"}, []string{"o.md.vocab.json", "o.md.txt.vocab.json", "o.md.txt.pdf.vocab.json", "o.txt.vocab.json"}},
		// Names equal but for case (case-insensitive file systems).
		{[]string{"A.txt", "a.txt"}, []string{"A.txt.vocab.json", "a.txt~2.vocab.json"}},
		{[]string{"a.md", "A.md.txt"}, []string{"a.vocab.json", "A.md.vocab.json"}},
		{[]string{"masters.pdf", "master-copy.txt"}, []string{"masters.vocab.json", "master-copy.vocab.json"}},
	}
	for _, tt := range tests {
		docs := make([]Document, len(tt.rels))
		for i, r := range tt.rels {
			docs[i].Rel = r
		}
		assignVocabPaths(docs)
		var got []string
		for _, d := range docs {
			got = append(got, d.VocabRel)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v: got %v, want %v", tt.rels, got, tt.want)
		}
	}
}

// A book called master does not overwrite the master, and the master is
// not consolidated into itself.
func TestBookNamedMaster(t *testing.T) {
	h := newHarness(t, map[string]string{
		"master.txt":  "The ancient dragon breathes fire upon the castle.",
		"dragons.txt": "A wizard casts fireball and lightning bolt.",
	})
	for run := range 2 {
		// The real vocab files and consolidation, the fake parser and extractor.
		p, err := New(Config{InputDir: h.in, Classifier: h.cls, Workers: 1, Force: run == 1, Parser: fakeParser(nil)})
		if err != nil {
			t.Fatal(err)
		}
		p.stages.extract = fakeStages(nil).extract
		plan, err := p.Plan(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := p.Run(context.Background(), plan)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Processed != 2 || sum.Consolidated == nil || sum.Consolidated.Files != 2 {
			t.Fatalf("run %d: %+v %+v", run, sum, sum.Consolidated)
		}
	}
	if _, err := os.Stat(h.out("master.txt.vocab.json")); err != nil {
		t.Error(err)
	}
	m := readManifest(t, h.out(ManifestName))
	if e := m.Documents["master.txt"]; e.VocabPath != "master.txt.vocab.json" {
		t.Errorf("manifest: %+v", e)
	}
	data, err := os.ReadFile(h.out("master.vocab.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"documents": 2`) {
		t.Errorf("master is not the consolidation of both books:\n%.400s", data)
	}
}

func TestDiscoverEveryDocumentExtension(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for _, ext := range document.Extensions() {
		files["doc"+strings.ToUpper(ext)] = "x"
	}
	writeFiles(t, root, files)
	docs, err := Discover(context.Background(), root, filepath.Join(root, "output"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(files) {
		t.Fatalf("found %d documents, want %d: %v", len(docs), len(files), docs)
	}
}

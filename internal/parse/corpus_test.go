package parse

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/textnorm"

	"github.com/corpora-tools/corpora/internal/testcorpus"
)

func newTestParser(t testing.TB) *Parser {
	t.Helper()
	p, err := New(Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// joined is every block's text, one block per line.
func joined(out *document.Output) string {
	var b strings.Builder
	for _, bl := range out.Content {
		b.WriteString(bl.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestCorpusParsesOrFailsCleanly runs every EPUB and DOCX of the corpus:
// each gives an Output or a one-line error naming the file, in bounded time.
func TestCorpusParsesOrFailsCleanly(t *testing.T) {
	dir := testcorpus.Dir(t)
	p := newTestParser(t)
	var files []string
	for _, pat := range []string{"epub/*.epub", "docx/*.docx", "srd/rendered/*.epub", "srd/rendered/*.docx"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no EPUB or DOCX files in the corpus")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			start := time.Now()
			out, err := p.File(context.Background(), f, document.Options{})
			if d := time.Since(start); d > 2*time.Minute {
				t.Errorf("took %s", d)
			}
			if err != nil {
				msg := err.Error()
				if strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, f+": ") {
					t.Errorf("error is not one line naming the file: %q", msg)
				}
				t.Logf("fails cleanly: %v", err)
				return
			}
			if out.Content == nil || out.Warnings == nil || out.Source != f || out.SchemaVersion != document.SchemaVersion {
				t.Errorf("output fields not set: source %q, schema %q", out.Source, out.SchemaVersion)
			}
			for _, b := range out.Content {
				if !utf8.ValidString(b.Text) || b.Text == "" {
					t.Errorf("bad block text %q", b.Text)
				}
			}
		})
	}
}

func TestCorpusDOCX(t *testing.T) {
	dir := testcorpus.Dir(t)
	p := newTestParser(t)
	parse := func(t *testing.T, name string) string {
		t.Helper()
		out, err := p.File(context.Background(), filepath.Join(dir, "docx", name), document.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return joined(out)
	}
	t.Run("deleted tracked changes excluded", func(t *testing.T) {
		text := parse(t, "poi__delins.docx")
		for _, del := range []string{"Tika Waylan", "DragonLance", "Maang Tika", "suspended between the eyes"} {
			if strings.Contains(text, del) {
				t.Errorf("deleted text %q extracted", del)
			}
		}
		if !strings.Contains(text, "A Nepalese name for Tilaka") {
			t.Error("kept text missing")
		}
	})
	t.Run("field results not codes", func(t *testing.T) {
		text := parse(t, "poi__FieldCodes.docx")
		for _, want := range []string{"ANTONI", "16 June 2010"} {
			if !strings.Contains(text, want) {
				t.Errorf("field result %q missing from %q", want, text)
			}
		}
		for _, code := range []string{"MERGEFORMAT", "AUTHOR", "CREATEDATE"} {
			if strings.Contains(text, code) {
				t.Errorf("field code %q extracted", code)
			}
		}
	})
	t.Run("all bodies", func(t *testing.T) {
		text := parse(t, "poi__MultipleBodyBug.docx")
		for _, want := range []string{"START BODY 1", "END BODY 2", "START BODY 3", "END BODY 3"} {
			if !strings.Contains(text, want) {
				t.Errorf("%q missing", want)
			}
		}
	})
	t.Run("text box once", func(t *testing.T) {
		if n := strings.Count(parse(t, "mammoth__text-box.docx"), "Datum plane"); n != 1 {
			t.Errorf("text-box text found %d times, want 1", n)
		}
	})
	t.Run("strict namespaces", func(t *testing.T) {
		if text := parse(t, "mammoth__strict-format.docx"); !strings.Contains(text, "Test") {
			t.Errorf("strict document text missing: %q", text)
		}
	})
	t.Run("notes", func(t *testing.T) {
		for _, f := range []string{"mammoth__footnotes.docx", "mammoth__endnotes.docx"} {
			if text := parse(t, f); !strings.Contains(text, "A tachyon walks into a bar.") {
				t.Errorf("%s: note text missing: %q", f, text)
			}
		}
	})
	t.Run("hyperlinks", func(t *testing.T) {
		if text := parse(t, "pythondocx__par-hyperlinks.docx"); !strings.Contains(text, "Three hyperlinks: the first one here, the second one, and the third.") {
			t.Errorf("hyperlink text: %q", text)
		}
	})
	t.Run("encrypted", func(t *testing.T) {
		f := filepath.Join(dir, "docx", "poi__bug53475-password-is-pass.docx")
		_, err := p.File(context.Background(), f, document.Options{})
		if !errors.Is(err, document.ErrEncrypted) || !strings.Contains(err.Error(), "encrypted Word document (OLE2 container)") {
			t.Errorf("got %v, want an encrypted Word document error", err)
		}
		_, err = p.File(context.Background(), f, document.Options{Password: "wrong"})
		if !errors.Is(err, document.ErrEncrypted) || !strings.Contains(err.Error(), "wrong password") {
			t.Errorf("wrong password: got %v", err)
		}
		out, err := p.File(context.Background(), f, document.Options{Password: "pass"})
		if err != nil {
			t.Fatalf("password %q: %v", "pass", err)
		}
		if len(out.Content) == 0 {
			t.Error("decrypted document has no text")
		}
		t.Logf("decrypted: %q", joined(out))
	})
	t.Run("truncated zip recovered", func(t *testing.T) {
		if text := parse(t, "poi__truncated62886.docx"); !strings.Contains(text, "DX IMPORTADORA") {
			t.Errorf("text of the truncated package missing")
		}
	})
}

func TestCorpusEPUB(t *testing.T) {
	dir := testcorpus.Dir(t)
	p := newTestParser(t)
	parse := func(t *testing.T, name string) *document.Output {
		t.Helper()
		out, err := p.File(context.Background(), filepath.Join(dir, "epub", name), document.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	t.Run("container.xml missing", func(t *testing.T) {
		out := parse(t, "epubchecktest__epubsample028.epub")
		if !strings.Contains(joined(out), "hello, world.") || len(out.Warnings) == 0 {
			t.Errorf("text or warning missing: %q %v", joined(out), out.Warnings)
		}
	})
	t.Run("circular fallback", func(t *testing.T) {
		if out := parse(t, "epubchecktest__epubsample047.epub"); !strings.Contains(joined(out), "hello, world.") {
			t.Errorf("text missing: %q", joined(out))
		}
	})
	t.Run("invalid UTF-8 repaired", func(t *testing.T) {
		text := joined(parse(t, "epubchecktest__epubsample015.epub"))
		if !strings.Contains(text, "hello, world.") || strings.ContainsRune(text, utf8.RuneError) {
			t.Errorf("text: %q", text)
		}
	})
	t.Run("non-UTF-8 entry name", func(t *testing.T) {
		if text := joined(parse(t, "epubcheck__ocf-filename-not-utf8-error.epub")); !strings.Contains(text, "Call me Ishmael.") {
			t.Errorf("text: %q", text)
		}
	})
	t.Run("ruby annotations stay out", func(t *testing.T) {
		if text := joined(parse(t, "epub3samples__kusamakura-preview.epub")); !strings.Contains(text, "山路を登りながら、こう考えた。") {
			t.Errorf("ruby base text split or doubled")
		}
	})
	t.Run("spine order and nav titles", func(t *testing.T) {
		out := parse(t, "epub3samples__accessible_epub_3.epub")
		if len(out.Metadata.TOC) < 10 || out.Metadata.Title != "Accessible EPUB 3" || out.Pages < 10 {
			t.Fatalf("metadata: %+v pages %d", out.Metadata.Title, out.Pages)
		}
		last := 0
		headings := 0
		for _, b := range out.Content {
			if b.Chapter < last {
				t.Fatalf("chapter %d after %d", b.Chapter, last)
			}
			last = b.Chapter
			if b.Type == document.Heading {
				headings++
			}
		}
		if headings < 5 {
			t.Errorf("%d chapter headings", headings)
		}
	})
	t.Run("image renamed .epub", func(t *testing.T) {
		f := filepath.Join(dir, "epub", "epubcheck__ocf-zip-unreadable-image-with-epub-extension-fatal.epub")
		_, err := p.File(context.Background(), f, document.Options{})
		if !errors.Is(err, document.ErrUnsupported) || !strings.HasSuffix(err.Error(), "image, not an EPUB") {
			t.Errorf("got %v", err)
		}
	})
}

// TestCorpusGoldRecall checks that the gold terms of the rendered SRD
// chapters are in the parsed text as whole words (case-folded), with no
// repair on the test's side.
func TestCorpusGoldRecall(t *testing.T) {
	dir := testcorpus.Dir(t)
	p := newTestParser(t)
	var files []string
	for _, pat := range []string{"*.epub", "*.docx"} {
		m, _ := filepath.Glob(filepath.Join(dir, "srd", "rendered", pat))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no rendered SRD EPUB or DOCX")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			gold := testcorpus.Lines(t, filepath.Join(dir, "srd", "gold", "per-document", filepath.Base(f)+".txt"))
			out, err := p.File(context.Background(), f, document.Options{})
			if err != nil {
				t.Fatal(err)
			}
			text := strings.ToLower(joined(out))
			var missing []string
			for _, g := range gold {
				if !containsWord(text, strings.ToLower(textnorm.Line(g))) {
					missing = append(missing, g)
				}
			}
			recall := 1 - float64(len(missing))/float64(len(gold))
			t.Logf("recall %.4f (%d/%d gold terms)", recall, len(gold)-len(missing), len(gold))
			if recall < 0.97 {
				t.Errorf("recall %.4f < 0.97; missing %q", recall, missing[:min(len(missing), 20)])
			}
		})
	}
}

// containsWord reports whether w occurs in text with no letter or digit
// directly before or after it.
func containsWord(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		i = start + 1
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

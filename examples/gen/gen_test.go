package main

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/xml"
	"errors"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/corpora-tools/corpora/internal/textnorm"
)

// booksDir is the examples folder (src/, books/, expected/), seen from this package.
const booksDir = ".."

// TestCommittedFilesAreReproducible rebuilds every book and checks that the
// committed files are byte-identical, so sources and books cannot drift.
func TestCommittedFilesAreReproducible(t *testing.T) {
	files, err := build(booksDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		got, err := os.ReadFile(filepath.Join(booksDir, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: %v (run: go run ./examples/gen)", name, err)
			continue
		}
		if !bytes.Equal(got, files[name]) {
			t.Errorf("%s differs from a fresh build (%d bytes committed, %d built); regenerate with: go run ./examples/gen", name, len(got), len(files[name]))
		}
	}
}

// TestBuildIsDeterministic builds twice into temporary folders through the
// same path the command uses.
func TestBuildIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := generate(booksDir, dir); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range books {
		x, err := os.ReadFile(filepath.Join(a, "books", m.out))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, "books", m.out))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s: two builds differ", m.out)
		}
	}
}

// TestTotalSize keeps the bundled books small.
func TestTotalSize(t *testing.T) {
	total := int64(0)
	for _, m := range books {
		fi, err := os.Stat(filepath.Join(booksDir, "books", m.out))
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
	}
	if total > 2<<20 {
		t.Errorf("sample books take %d bytes, want under 2 MiB", total)
	}
}

// readList reads a ground-truth list: one term a line.
func readList(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(booksDir, "expected", name))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ln := range strings.Split(string(data), "\n") {
		if ln = strings.TrimSpace(ln); ln != "" {
			out = append(out, ln)
		}
	}
	return out
}

// markup strips the source markup that is not text.
var markup = regexp.MustCompile(`\*+|\[\^[^\]]+\]|~~[^~]*~~|\{\{[^|]*\||\}\}|^#+ |^> |^- `)

// TestGroundTruthMatchesSources checks every expected term and IP term
// occurs in its book's source, and every absent term only in what the
// reader must not see.
func TestGroundTruthMatchesSources(t *testing.T) {
	for _, m := range books {
		src, err := os.ReadFile(filepath.Join(booksDir, "src", m.src))
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, ln := range strings.Split(string(src), "\n") {
			lines = append(lines, markup.ReplaceAllString(ln, ""))
		}
		text := fold(strings.Join(lines, "\n"))
		terms := readList(t, m.out+".terms.txt")
		if len(terms) < 10 {
			t.Errorf("%s: only %d expected terms", m.out, len(terms))
		}
		if _, err := os.Stat(filepath.Join(booksDir, "expected", m.out+".ip.txt")); err != nil {
			t.Errorf("%s: %v", m.out, err)
		}
		for _, term := range append(terms, readList(t, m.out+".ip.txt")...) {
			if !strings.Contains(text, fold(term)) {
				t.Errorf("%s: expected term %q is not in the source", m.out, term)
			}
		}
		for _, term := range readList(t, m.out+".absent.txt") {
			if strings.Contains(text, fold(term)) {
				t.Errorf("%s: absent term %q is visible in the source", m.out, term)
			}
			if !strings.Contains(fold(string(src)), fold(term)) {
				t.Errorf("%s: absent term %q is not in the source at all", m.out, term)
			}
		}
	}
}

// fold normalises text for containment checks: the project's normaliser,
// one line, lower case.
func fold(s string) string { return strings.ToLower(textnorm.Line(s)) }

// TestPDFTextWithPdftotext reads the two-column PDF back with poppler and
// checks that the expected terms, the IP names, the running header and the
// footer are all there once line-end hyphens are joined.
func TestPDFTextWithPdftotext(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (poppler-utils); skipping the read-back check")
	}
	const name = "emberfall-codex.pdf"
	out, err := exec.Command(bin, "-enc", "UTF-8", filepath.Join(booksDir, "books", name), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", name, err)
	}
	raw := string(out)
	if strings.Count(raw, "\f") < 3 {
		t.Errorf("%s: want at least 3 pages, got %d", name, strings.Count(raw, "\f"))
	}
	text := strings.ToLower(textnorm.JoinLines(strings.Split(textnorm.String(raw), "\n"), nil))
	for _, term := range append(readList(t, name+".terms.txt"), readList(t, name+".ip.txt")...) {
		if !strings.Contains(text, fold(term)) {
			t.Errorf("%s: pdftotext output lacks %q", name, term)
		}
	}
	for _, furniture := range []string{"The Emberfall Codex", headerRight, footerText} {
		if n := strings.Count(raw, furniture); n < 4 {
			t.Errorf("%s: %q appears %d times, want once per page", name, furniture, n)
		}
	}
	// The no-break space of "Mind Flayer" is in the text layer (poppler
	// prints it as a plain space, so look at the content streams: fpdf
	// writes the text as UTF-16BE code points).
	pdf, err := os.ReadFile(filepath.Join(booksDir, "books", name))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(inflateStreams(t, pdf), utf16be("Mind\u00a0Flayer")) {
		t.Errorf("%s: the no-break space in Mind Flayer is not in the text layer", name)
	}
	// The whole text reads back in order (pdftotext keeps the columns apart).
	want, err := os.ReadFile(filepath.Join(booksDir, "expected", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	w, got := strings.Fields(strings.ToLower(string(want))), strings.Fields(text)
	have := map[string]int{}
	for _, g := range got {
		have[g]++
	}
	lost := 0
	for _, x := range w {
		if have[x] == 0 {
			lost++
			continue
		}
		have[x]--
	}
	if lost > len(w)/200 {
		t.Errorf("%s: %d of %d expected words are missing from the text layer", name, lost, len(w))
	}
	// poppler's block order puts two short lines at the top of a column a
	// little early, so the in-order share is a bit below 1.
	if acc := float64(commonWords(got, w)) / float64(len(w)); acc < 0.9 {
		t.Errorf("%s: only %.3f of the expected words read back in order", name, acc)
	}
	hy := readList(t, name+".hyphenated.txt")
	if len(hy) < 5 {
		t.Errorf("%s: only %d hyphenated line ends", name, len(hy))
	}
	for _, h := range hy {
		if !strings.Contains(text, strings.ToLower(strings.ReplaceAll(h, "-|", ""))) {
			t.Errorf("%s: hyphenated word %q does not read back joined", name, h)
		}
	}
}

// TestScanHasNoTextLayer checks that the scanned page carries only an image.
func TestScanHasNoTextLayer(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(booksDir, "books", "hollowmere-fragment.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	content := inflateStreams(t, data)
	for _, op := range []string{" Tj", " TJ", "BT "} {
		if bytes.Contains(content, []byte(op)) {
			t.Errorf("scanned page contains %q: it must be image-only", op)
		}
	}
	if !bytes.Contains(data, []byte("/Subtype /Image")) {
		t.Error("scanned page has no image")
	}
	if bin, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command(bin, filepath.Join(booksDir, "books", "hollowmere-fragment.pdf"), "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(string(out)) != "" {
			t.Errorf("pdftotext finds text on the scanned page: %q", out)
		}
	}
}

// TestScanIsReadableByTesseract OCRs the scanned page's image and compares
// it with the expected text. It needs tesseract and pdfimages.
func TestScanIsReadableByTesseract(t *testing.T) {
	if testing.Short() {
		t.Skip("OCR is slow; skipped with -short")
	}
	tess, err1 := exec.LookPath("tesseract")
	pdfimages, err2 := exec.LookPath("pdfimages")
	if err1 != nil || err2 != nil {
		if os.Getenv("CORPORA_REQUIRE_OCR") == "1" {
			t.Fatal("CORPORA_REQUIRE_OCR=1 but tesseract or pdfimages (poppler-utils) is not installed")
		}
		t.Skip("tesseract or pdfimages not installed; skipping the OCR check")
	}
	dir := t.TempDir()
	if out, err := exec.Command(pdfimages, "-png", filepath.Join(booksDir, "books", "hollowmere-fragment.pdf"), filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v: %s", err, out)
	}
	cmd := exec.Command(tess, filepath.Join(dir, "img-000.png"), "-", "--psm", "4")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	want, err := os.ReadFile(filepath.Join(booksDir, "expected", "hollowmere-fragment.pdf.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// Tesseract versions differ a little; the page must still read almost
	// word for word (it reads exactly with Tesseract 5.3).
	got, w := strings.Fields(string(out)), strings.Fields(string(want))
	if acc := float64(commonWords(got, w)) / float64(len(w)); acc < 0.98 {
		t.Errorf("OCR word accuracy %.3f, want at least 0.98:\n got: %q\nwant: %q", acc, got, w)
	}
}

// commonWords is the length of the longest common subsequence of a and b.
func commonWords(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] > cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// TestContainers checks the zip structure readers rely on and that every
// XML part is well-formed.
func TestContainers(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"tidewrought-almanac.epub", []string{"mimetype", "META-INF/container.xml", "OEBPS/content.opf", "OEBPS/nav.xhtml", "OEBPS/chapter-01.xhtml"}},
		{"thornwick-bestiary.docx", []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/footnotes.xml", "docProps/core.xml"}},
	} {
		data, err := os.ReadFile(filepath.Join(booksDir, "books", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
			if !strings.HasSuffix(f.Name, ".css") && f.Name != "mimetype" {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				if err := wellFormed(rc); err != nil {
					t.Errorf("%s: %s: %v", tc.file, f.Name, err)
				}
				rc.Close()
			}
		}
		for _, w := range tc.want {
			if !slices.Contains(names, w) {
				t.Errorf("%s: no %s", tc.file, w)
			}
		}
		if strings.HasSuffix(tc.file, ".epub") {
			if zr.File[0].Name != "mimetype" || zr.File[0].Method != zip.Store || !bytes.HasPrefix(data[30:], []byte("mimetypeapplication/epub+zip")) {
				t.Errorf("%s: mimetype must be the first entry, stored, without extra field", tc.file)
			}
		}
	}
}

// streamRE finds the streams of the generator's PDFs (fpdf writes LF ends).
var streamRE = regexp.MustCompile(`(?s)stream\n(.*?)\nendstream`)

// inflateStreams returns every Flate-compressed stream of a PDF, inflated
// and concatenated; image data is inflated too, which does no harm.
func inflateStreams(t *testing.T, pdf []byte) []byte {
	t.Helper()
	var all bytes.Buffer
	for _, m := range streamRE.FindAllSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // not compressed
		}
		if _, err := io.Copy(&all, zr); err != nil {
			t.Fatalf("inflate a stream: %v", err)
		}
	}
	return all.Bytes()
}

func utf16be(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

func wellFormed(r io.Reader) error {
	d := xml.NewDecoder(r)
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// TestHyphenation pins the syllable rules on a few words.
func TestHyphenation(t *testing.T) {
	for _, tc := range []struct {
		word string
		want []string
	}{
		{"cindersong", []string{"cin|dersong", "cinder|song"}},
		{"attunement", []string{"attu|nement", "attune|ment"}},
		{"increases", nil},
		{"recorded", nil},
		{"adventurers", []string{"adven|turers"}},
		{"shambler", []string{"sham|bler"}},       // never "shamb|ler": "bl" starts a syllable
		{"whisperbark", []string{"whisper|bark"}}, // "sp" starts a syllable
		{"marrowflint", []string{"mar|rowflint", "marrow|flint"}},
	} {
		low := []rune(tc.word)
		var got []string
		for _, k := range syllableBreaks(low, 0, len(low)) {
			got = append(got, string(low[:k])+"|"+string(low[k:]))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("syllableBreaks(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

// FuzzParseMarkdown checks that no source, however malformed, panics the
// Markdown subset parser or the inline parser.
func FuzzParseMarkdown(f *testing.F) {
	for _, m := range books {
		src, err := os.ReadFile(filepath.Join(booksDir, "src", m.src))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src[:min(len(src), 2000)]))
	}
	f.Add("# T\n\n[^1]: x\n{{|}}~~*[^")
	f.Fuzz(func(t *testing.T, src string) {
		bk, err := parseMarkdown(src)
		if err != nil {
			return
		}
		for _, b := range bk.blocks {
			for _, ln := range append(append([]inline{}, b.lines...), b.items...) {
				_ = toWords(ln, "")
			}
		}
		_ = readingText(bk)
	})
}

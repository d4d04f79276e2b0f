package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/corpora-tools/corpora/internal/document"
)

// testParser is shared by the unit tests of this package so the runtime
// starts once per test binary.
var (
	testParserOnce sync.Once
	testParserVal  *Parser
)

func unitParser(t testing.TB) *Parser {
	testParserOnce.Do(func() {
		p, err := NewParser(Config{Instances: 2})
		if err != nil {
			t.Fatal(err)
		}
		testParserVal = p
	})
	return testParserVal
}

func parseBytes(t testing.TB, data []byte, opts document.Options) (*document.Output, error) {
	t.Helper()
	return unitParser(t).Parse(context.Background(), document.Input{Name: "test.pdf", Data: data}, opts)
}

// twoColumnPDF writes three pages of two-column text with a running header,
// a footer with the page number, a larger heading and a hyphenated line end.
func twoColumnPDF(t testing.TB) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle("The Ember Chronicle", true)
	pdf.SetAuthor("Corpora Tests", true)
	pdf.SetCompression(false)
	left := [][]string{
		{"The dragon of the north left its lair", "at dusk and flew swift-", "ly over the frozen hills", "toward the old keep."},
		{"Second page left column talks about", "the ashen wyvern and the glass", "towers of Vorhollow town."},
		{"Third page left column describes", "the marrowflint caravans and", "their slagback tortoises."},
	}
	right := [][]string{
		{"Right column one begins here and", "tells of the cinder witch who", "guards the burning pass."},
		{"Right column two continues with", "the kindling council elders", "and their seven fires."},
		{"Right column three ends the", "chronicle with pilgrims on", "the stair of ash."},
	}
	for i := range 3 {
		pdf.AddPage()
		pdf.SetFont("Helvetica", "", 9)
		pdf.Text(20, 12, "The Ember Chronicle")
		pdf.Text(100, 287, fmt.Sprintf("%d", i+1))
		y := 40.0
		if i == 0 {
			pdf.SetFont("Helvetica", "B", 20)
			pdf.Text(20, 30, "Chapter One")
			y = 50
		}
		pdf.SetFont("Helvetica", "", 11)
		for j, l := range left[i] {
			pdf.Text(20, y+float64(j)*6, l)
		}
		for j, l := range right[i] {
			pdf.Text(110, y+float64(j)*6, l)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTwoColumns(t *testing.T) {
	out, err := parseBytes(t, twoColumnPDF(t), document.Options{OCR: document.OCROff})
	if err != nil {
		t.Fatal(err)
	}
	text := allText(out)
	if out.Pages != 3 || out.Metadata.Title != "The Ember Chronicle" || out.Metadata.Author != "Corpora Tests" {
		t.Errorf("pages %d, metadata %+v", out.Pages, out.Metadata)
	}
	for _, want := range []string{"flew swiftly over the frozen hills", "the glass towers of Vorhollow town."} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Ember Chronicle") {
		t.Errorf("running header kept:\n%s", text)
	}
	for _, b := range out.Content {
		if strings.TrimSpace(b.Text) == "1" || strings.TrimSpace(b.Text) == "2" {
			t.Errorf("page number kept as block %+v", b)
		}
	}
	// Columns: the left column of a page is read before the right one.
	order := []string{"The dragon of the north", "toward the old keep.", "Right column one begins", "Second page left", "Right column two", "Third page left", "Right column three"}
	last := -1
	for _, s := range order {
		i := strings.Index(text, s)
		if i < 0 || i < last {
			t.Fatalf("reading order wrong at %q:\n%s", s, text)
		}
		last = i
	}
	if out.Content[0].Type != document.Heading || out.Content[0].Text != "Chapter One" || out.Content[0].Page != 1 {
		t.Errorf("first block %+v, want heading Chapter One on page 1", out.Content[0])
	}
}

// pdfOf writes a PDF whose objects 1, 2, ... are objs (object 1 the
// catalog), with a classic cross-reference table.
func pdfOf(objs ...string) []byte {
	var b bytes.Buffer
	offs := make([]int, len(objs))
	b.WriteString("%PDF-1.4\n")
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// stream is a stream object around data.
func stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// rawPDF builds a one-page PDF around a content stream using Helvetica.
func rawPDF(content string) []byte {
	return pdfOf(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	)
}

func TestCharacterSpacing(t *testing.T) {
	// Words set with character spacing and positioned by TJ offsets, with
	// no space glyphs between them; a letter-spaced title stays one word.
	content := "BT /F1 12 Tf 2 Tc 72 700 Td [(The)-700(dragon)-700(flew)-700(swiftly)] TJ ET\n" +
		"BT /F1 12 Tf 4 Tc 72 650 Td (EMBERFALL) Tj ET\n" +
		"BT /F1 12 Tf 0 Tc 72 600 Td [(Kern)30(ed)-250(words)] TJ ET"
	out, err := parseBytes(t, rawPDF(content), document.Options{OCR: document.OCROff})
	if err != nil {
		t.Fatal(err)
	}
	text := allText(out)
	for _, want := range []string{"The dragon flew swiftly", "EMBERFALL", "Kerned words"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in %q", want, text)
		}
	}
}

func TestTable(t *testing.T) {
	var sb strings.Builder
	rows := [][]string{{"Armor", "Cost", "Weight"}, {"Padded", "5 gp", "8 lb."}, {"Leather", "10 gp", "10 lb."}, {"Chain shirt", "50 gp", "20 lb."}}
	for i, r := range rows {
		y := 700 - 14*i
		for j, c := range r {
			fmt.Fprintf(&sb, "BT /F1 10 Tf %d %d Td (%s) Tj ET\n", 72+150*j, y, c)
		}
	}
	out, err := parseBytes(t, rawPDF(sb.String()), document.Options{OCR: document.OCROff})
	if err != nil {
		t.Fatal(err)
	}
	text := allText(out)
	for _, r := range rows {
		if !strings.Contains(text, document.TableRow(r)+"\n") {
			t.Errorf("row %q not on one line in:\n%s", r, text)
		}
	}
}

func TestErrors(t *testing.T) {
	good := twoColumnPDF(t)
	tests := []struct {
		name string
		data []byte
		lim  document.Limits
		want error
	}{
		{"not a pdf", []byte("%PDF-1.4\nthis is not a pdf at all"), document.Limits{}, document.ErrMalformed},
		{"empty", []byte{}, document.Limits{}, document.ErrMalformed},
		{"too many pages", good, document.Limits{MaxPages: 2}, document.ErrLimit},
		{"too large", good, document.Limits{MaxFileBytes: 100}, document.ErrLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseBytes(t, tt.data, document.Options{OCR: document.OCROff, Limits: tt.lim})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error %q", err)
			}
		})
	}
}

func TestTruncatedStillReads(t *testing.T) {
	good := twoColumnPDF(t)
	// Cut the cross-reference table and trailer off: PDFium rebuilds it.
	cut := good[:bytes.LastIndex(good, []byte("xref"))]
	out, err := parseBytes(t, cut, document.Options{OCR: document.OCROff})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(allText(out), "swiftly") {
		t.Errorf("truncated file lost its text: %q", allText(out))
	}
}

func TestTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	t0 := time.Now()
	_, err := unitParser(t).Parse(ctx, document.Input{Name: "x.pdf", Data: twoColumnPDF(t)}, document.Options{OCR: document.OCROff})
	if err == nil {
		t.Fatal("no error after the deadline")
	}
	if time.Since(t0) > 2*time.Second {
		t.Errorf("returned after %v", time.Since(t0))
	}
	// The parser still works afterwards.
	if _, err := parseBytes(t, twoColumnPDF(t), document.Options{OCR: document.OCROff}); err != nil {
		t.Fatalf("after a timeout: %v", err)
	}
}

func TestPasswordCandidates(t *testing.T) {
	tests := []struct {
		in   string
		want string // first candidate: the SASLprep form
	}{
		{"asdfzxcv", "asdfzxcv"},
		{"pass\u00a0word", "pass word"},
		{"soft\u00adhyphen", "softhyphen"},
		{"\uff21\uff22", "AB"},
		{"cafe\u0301", "caf\u00e9"},
	}
	for _, tt := range tests {
		if got := passwordCandidates(tt.in)[0]; got != tt.want {
			t.Errorf("passwordCandidates(%q)[0] = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPDFDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"D:20260101000000Z", "2026-01-01T00:00:00Z"},
		{"D:20230102150405+01'00'", "2023-01-02T15:04:05+01:00"},
		{"D:2024", "2024-01-01T00:00:00Z"},
		{"yesterday", "yesterday"},
	}
	for _, tt := range tests {
		if got := pdfDate(tt.in); got != tt.want {
			t.Errorf("pdfDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	good := twoColumnPDF(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(rawPDF("BT /F1 12 Tf 72 700 Td (Hello) Tj ET"))
	f.Add(twoPagePDF())
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj trailer << /Root 1 0 R >>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := document.Limits{Timeout: 5 * time.Second, PerPageTimeout: 2 * time.Second, MaxPages: 50}
		out, err := parseBytes(t, data, document.Options{OCR: document.OCROff, Limits: lim})
		if err != nil {
			ok := false
			for _, s := range []error{document.ErrEncrypted, document.ErrMalformed, document.ErrLimit, document.ErrTimeout, document.ErrNoText} {
				ok = ok || errors.Is(err, s)
			}
			if !ok {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			return
		}
		if out == nil {
			t.Fatal("nil output without error")
		}
	})
}

// bigPDF writes n pages of dense text.
func bigPDF(t testing.TB, n int) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetFont("Helvetica", "", 8)
	line := strings.Repeat("the cinder drake sleeps under the ash ", 5)
	for range n {
		pdf.AddPage()
		for j := range 60 {
			pdf.Text(10, 10+float64(j)*4.5, line)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDocumentTimeoutMidParse(t *testing.T) {
	// 300 dense pages take the fast path about a second on the 2-core
	// machine this was written on: the deadline must fall well inside that
	// on a faster one too.
	big := bigPDF(t, 300)
	lim := document.Limits{Timeout: 100 * time.Millisecond}
	t0 := time.Now()
	_, err := parseBytes(t, big, document.Options{OCR: document.OCROff, Limits: lim})
	took := time.Since(t0)
	if !errors.Is(err, document.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if took > 3*time.Second {
		t.Errorf("returned %v after a 100ms deadline", took)
	}
	// The interrupted instances are replaced.
	for range 3 {
		if _, err := parseBytes(t, twoColumnPDF(t), document.Options{OCR: document.OCROff}); err != nil {
			t.Fatalf("after a timeout: %v", err)
		}
	}
}

func TestSalvageLostPageTree(t *testing.T) {
	good := twoColumnPDF(t)
	// Keep the pages and their content, lose the page tree, catalog and xref.
	cut := good[:bytes.Index(good, []byte("1 0 obj"))]
	if _, n := salvage(cut); n != 3 {
		t.Fatalf("salvage found %d pages, want 3", n)
	}
	out, err := parseBytes(t, cut, document.Options{OCR: document.OCROff})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(allText(out), "swiftly") || len(out.Warnings) == 0 {
		t.Errorf("salvaged text %q, warnings %+v", allText(out), out.Warnings)
	}
	if fixed, _ := salvage([]byte("not a pdf")); fixed != nil {
		t.Error("salvaged a non-PDF")
	}
}

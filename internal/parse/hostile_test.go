package parse_test

// Hostile input (SPEC section 4, issue 2 item 8): crafted files, generated
// at run time, fed through the dispatcher one at a time under a per-case
// deadline, a watchdog that turns a hang into a failure, and a heap
// sampler. Each case must end in a one-line error naming the file, giving a
// reason a user understands and wrapping the right sentinel of
// internal/document, or in a successful parse where the file is repairable.
//
//	go test -run 'TestHostile' -v ./internal/parse/
//	go test -run '^$' -fuzz FuzzParseAny -fuzztime 60s -parallel 1 ./internal/parse/
//
// go test -short skips the slow cases (marked slow: big inputs, OCR, long
// repairs). CORPORA_HOSTILE_BUGS=1 runs the cases of known bugs, skipped otherwise
// (see the bug* constants).

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/doctest"
	"github.com/corpora-tools/corpora/internal/parse"
)

// caseBudget is the Limits.Timeout of a case and, with a little more, the
// deadline of its context; watchdogGrace is how long past that the test
// still waits before it calls the parse hung and moves on.
const (
	caseBudget    = 60 * time.Second
	watchdogGrace = 30 * time.Second
	// defaultHeap bounds the heap growth of a case that sets no bound.
	defaultHeap = 300 << 20
)

// passwdMarker is in /etc/passwd on every Unix; canary is planted next to
// the hostile files. Neither may ever reach an Output.
const (
	passwdMarker = "root:x:0:0"
	canary       = "CANARY-7f3a9-if-you-read-this-a-file-outside-the-document-was-read"
)

// tight are small limits that make the bounds trip fast.
func tight() document.Limits {
	return document.Limits{
		Timeout:           caseBudget,
		MaxFileBytes:      96 << 20,
		MaxPages:          100,
		MaxRenderPixels:   4_000_000,
		MaxDecompressed:   32 << 20,
		MaxEntryBytes:     8 << 20,
		MaxZipEntries:     1000,
		MaxCompressRatio:  100,
		MaxXMLDepth:       128,
		MaxXMLTokens:      2_000_000,
		MaxTextBytes:      4 << 20,
		MaxOCRPages:       2,
		PerPageTimeout:    10 * time.Second,
		MaxOutlineEntries: 100,
	}
}

// defaults are the shipped limits with the case budget as the timeout.
func defaults() document.Limits {
	l := document.DefaultLimits()
	l.Timeout = caseBudget
	return l
}

// with returns l changed by f.
func with(l document.Limits, f func(*document.Limits)) document.Limits {
	f(&l)
	return l
}

// hostile is one crafted input and what must come of it.
type hostile struct {
	name string
	file string                  // base name; the extension matters to sniffing
	data func(testing.TB) []byte // the file's bytes; nil when setup makes the file
	// setup makes the file at path instead of data (FIFOs, sparse files...).
	// It may return a clean-up to run after the parse.
	setup func(t *testing.T, path string) func()
	lim   document.Limits
	ocr   document.OCRMode // "" is off: the cases test bounds, not Tesseract
	// want is the sentinel the error must wrap; nil means the parse must
	// succeed. With either, success is right too (a repairable file).
	want   error
	either bool
	// alsoOK are further sentinels an error may wrap instead of want (a
	// lying header is a limit or a broken archive, depending on who notices).
	alsoOK []error
	// words: the reason names at least one of these (case-insensitive).
	words []string
	check func(t *testing.T, out *document.Output)
	heap  uint64 // bound on heap growth while parsing; 0 is defaultHeap
	bug   string // a known bug: the case is skipped with this message
	// slow: the case takes seconds (a big input, OCR, a long repair), so
	// go test -short skips it.
	slow bool
}

// outcome is what one bounded parse gave.
type outcome struct {
	out      *document.Output
	err      error
	dur      time.Duration
	heap     uint64 // peak heap growth over the baseline
	base     uint64 // the baseline: heap after a GC before the parse
	rss      uint64 // peak resident set growth over the baseline
	panicked string
}

// heapNow is the bytes of live and not yet swept heap objects: the
// runtime/metrics name of runtime.MemStats.HeapAlloc, read without stopping
// the world.
func heapNow(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// rssNow is the resident set size of the process (WebAssembly memory and
// cgo-free mmaps included), 0 where /proc is missing.
func rssNow() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.ParseUint(f[1], 10, 64)
	return n * uint64(os.Getpagesize())
}

// parseBounded parses path on a goroutine under a context deadline, samples
// the heap while it runs, and gives up (failing t) when no answer comes
// watchdogGrace after the deadline: a hang fails the test instead of
// stalling it. ok is false when there is no outcome to check.
func parseBounded(t *testing.T, p *parse.Parser, path string, opts document.Options) (o outcome, ok bool) {
	t.Helper()
	runtime.GC()
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	baseHeap, baseRSS := heapNow(samples), rssNow()
	var peakHeap, peakRSS atomic.Uint64
	peakHeap.Store(baseHeap)
	peakRSS.Store(baseRSS)
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			if h := heapNow(s); h > peakHeap.Load() {
				peakHeap.Store(h)
			}
			if n%4 == 0 {
				if r := rssNow(); r > peakRSS.Load() {
					peakRSS.Store(r)
				}
			}
		}
	}()
	finish := func() {
		close(stop)
		sampler.Wait()
		if h := heapNow(samples); h > peakHeap.Load() {
			peakHeap.Store(h)
		}
		o.heap, o.base = peakHeap.Load()-baseHeap, baseHeap
		if r := peakRSS.Load(); r > baseRSS {
			o.rss = r - baseRSS
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), caseBudget+2*time.Second)
	defer cancel()
	done := make(chan outcome, 1)
	start := time.Now()
	go func() {
		var r outcome
		defer func() {
			if v := recover(); v != nil {
				r.panicked = fmt.Sprintf("%v\n%s", v, debug.Stack())
			}
			done <- r
		}()
		r.out, r.err = p.File(ctx, path, opts)
	}()
	select {
	case r := <-done:
		o.out, o.err, o.panicked = r.out, r.err, r.panicked
		o.dur = time.Since(start)
	case <-time.After(caseBudget + 2*time.Second + watchdogGrace):
		finish()
		t.Errorf("HANG: no answer %s after the parse's deadline (the parser ignores its context)", watchdogGrace)
		return o, false
	}
	finish()
	if o.panicked != "" {
		t.Errorf("a panic escaped the dispatcher: %s", o.panicked)
		return o, false
	}
	return o, true
}

// checkError asserts the shape of a failed parse's error.
func checkError(t *testing.T, path string, err error, want error, alsoOK []error, words []string) {
	t.Helper()
	msg := err.Error()
	if strings.ContainsAny(msg, "\r\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	if !strings.HasPrefix(msg, path+": ") {
		t.Errorf("error does not start with the file name %q: %q", path, msg)
	}
	reason := strings.TrimPrefix(msg, path+": ")
	if len(strings.TrimSpace(reason)) < 5 {
		t.Errorf("error gives no reason: %q", msg)
	}
	if len(reason) > 400 {
		t.Errorf("error reason is %d bytes long, not a one-line message: %.200q...", len(reason), reason)
	}
	for _, bad := range []string{"%!", "<nil>", "runtime error", "goroutine ", "parser failed on this input", "internal error"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error shows an internal failure (%q), a bug to fix in the parser: %q", bad, msg)
		}
	}
	if strings.Contains(msg, passwdMarker) || strings.Contains(msg, canary) {
		t.Errorf("error quotes a file outside the document: %q", msg)
	}
	if want != nil && want != errAny {
		matched := errors.Is(err, want)
		for _, s := range alsoOK {
			matched = matched || errors.Is(err, s)
		}
		if !matched {
			t.Errorf("error does not wrap %q (or %v): %q", want, alsoOK, msg)
		}
	}
	if len(words) > 0 {
		low := strings.ToLower(reason)
		found := false
		for _, w := range words {
			found = found || strings.Contains(low, strings.ToLower(w))
		}
		if !found {
			t.Errorf("reason %q names none of %q", reason, words)
		}
	}
}

// checkOutput asserts what every successful Output must be.
func checkOutput(t *testing.T, path string, out *document.Output) {
	t.Helper()
	if out == nil {
		t.Fatal("nil Output without an error")
	}
	if out.Source != path || out.SchemaVersion != document.SchemaVersion || out.Content == nil || out.Warnings == nil {
		t.Errorf("dispatcher fields not set: source %q schema %q", out.Source, out.SchemaVersion)
	}
	var all strings.Builder
	for i, b := range out.Content {
		if !utf8.ValidString(b.Text) {
			t.Errorf("block %d is not valid UTF-8: %.80q", i, b.Text)
		}
		if strings.ContainsRune(b.Text, 0) {
			t.Errorf("block %d holds a NUL byte: %.80q", i, b.Text)
		}
		if all.Len() < 64<<20 {
			all.WriteString(b.Text)
		}
	}
	m := out.Metadata
	all.WriteString(m.Title + m.Author + m.Subject + m.Keywords + m.Publisher + m.Creator + m.Producer)
	for _, e := range m.TOC {
		all.WriteString(e.Title)
	}
	for _, w := range out.Warnings {
		all.WriteString(w.Reason)
		if strings.TrimSpace(w.Reason) == "" {
			t.Errorf("warning without a reason at %q", w.Location)
		}
	}
	if s := all.String(); strings.Contains(s, passwdMarker) || strings.Contains(s, canary) {
		t.Errorf("the Output holds the content of a file outside the document")
	}
}

// text is an Output's block texts, one per line.
func text(out *document.Output) string {
	var b strings.Builder
	for _, bl := range out.Content {
		b.WriteString(bl.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// wantText returns a check that the Output's text holds every one of subs.
func wantText(subs ...string) func(*testing.T, *document.Output) {
	return func(t *testing.T, out *document.Output) {
		t.Helper()
		s := text(out)
		for _, sub := range subs {
			if !strings.Contains(s, sub) {
				t.Errorf("text lacks %q; got %.300q", sub, s)
			}
		}
	}
}

// noText returns a check that the Output's text holds none of subs.
func noText(subs ...string) func(*testing.T, *document.Output) {
	return func(t *testing.T, out *document.Output) {
		t.Helper()
		s := text(out)
		for _, sub := range subs {
			if strings.Contains(s, sub) {
				t.Errorf("text holds %q, which must not be there", sub)
			}
		}
	}
}

// all combines checks.
func all(checks ...func(*testing.T, *document.Output)) func(*testing.T, *document.Output) {
	return func(t *testing.T, out *document.Output) {
		t.Helper()
		for _, c := range checks {
			c(t, out)
		}
	}
}

// newParser returns a dispatcher closed at the end of t.
func newParser(t testing.TB) *parse.Parser {
	t.Helper()
	p, err := parse.New(parse.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// runCases runs each case as a subtest, one at a time (the heap sampler
// needs the process to itself).
func runCases(t *testing.T, p *parse.Parser, cases []hostile) {
	t.Helper()
	bugs := os.Getenv("CORPORA_HOSTILE_BUGS") != ""
	dir := t.TempDir()
	// A file outside every document, next to them, that must never be read.
	if err := os.WriteFile(filepath.Join(dir, "secret.xhtml"), []byte("<html><body><p>"+canary+"</p></body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.bug != "" && !bugs {
				t.Skip("known bug (CORPORA_HOSTILE_BUGS=1 runs it): " + c.bug)
			}
			if c.slow && testing.Short() {
				t.Skip("slow case: go test without -short runs it")
			}
			if c.ocr == document.OCROn {
				if _, err := exec.LookPath("tesseract"); err != nil {
					t.Skip("tesseract not installed: the OCR case is skipped")
				}
			}
			sub := filepath.Join(dir, strconv.Itoa(i))
			if err := os.Mkdir(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(sub, c.file)
			if c.data != nil {
				if err := os.WriteFile(path, c.data(t), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if c.setup != nil {
				if cleanup := c.setup(t, path); cleanup != nil {
					defer cleanup()
				}
			}
			lim := c.lim
			if lim.Timeout == 0 {
				lim.Timeout = caseBudget
			}
			mode := c.ocr
			if mode == "" {
				mode = document.OCROff
			}
			o, ok := parseBounded(t, p, path, document.Options{OCR: mode, Limits: lim})
			if !ok {
				return
			}
			bound := c.heap
			if bound == 0 {
				bound = defaultHeap
			}
			t.Logf("%v in %s, heap +%d MB (base %d MB), rss +%d MB", summary(o), o.dur.Round(time.Millisecond), o.heap>>20, o.base>>20, o.rss>>20)
			if o.heap > bound {
				t.Errorf("heap grew by %d MB while parsing (bound %d MB)", o.heap>>20, bound>>20)
			}
			if o.err != nil {
				if c.want == nil {
					t.Errorf("want a successful parse, got %v", o.err)
					return
				}
				checkError(t, path, o.err, c.want, c.alsoOK, c.words)
				return
			}
			if c.want != nil && !c.either && c.want != errAny {
				t.Errorf("want an error wrapping %q, got a successful parse: %d blocks, %d warnings %v", c.want, len(o.out.Content), len(o.out.Warnings), firstWarnings(o.out))
			}
			checkOutput(t, path, o.out)
			if c.check != nil {
				c.check(t, o.out)
			}
		})
	}
}

func summary(o outcome) string {
	if o.err != nil {
		return "error: " + o.err.Error()
	}
	return fmt.Sprintf("parsed: %d pages, %d blocks, %d bytes of text, %d warnings %v", o.out.Pages, len(o.out.Content), len(text(o.out)), len(o.out.Warnings), firstWarnings(o.out))
}

func firstWarnings(out *document.Output) []string {
	var s []string
	for _, w := range out.Warnings[:min(len(out.Warnings), 3)] {
		s = append(s, fmt.Sprintf("%.120s", w.Location+": "+w.Reason))
	}
	return s
}

// ---- EPUB and DOCX books ----

// goodChapter is the text of the one well-formed chapter of many books.
const goodChapter = "The wyvern rider crossed the Saltmarch at dusk."

// oneChapterOPF is the package document of a book with chapters c1 (the
// good one) and c2 (the hostile one, OEBPS/c2.xhtml).
var oneChapterOPF = doctest.OPF(`<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/><item id="c2" href="c2.xhtml" media-type="application/xhtml+xml"/>`,
	`<itemref idref="c1"/><itemref idref="c2"/>`)

// bookWith is a two-chapter book whose second chapter is c2.
func bookWith(c2 string) []byte {
	return doctest.EPUB("OEBPS/content.opf", oneChapterOPF, "OEBPS/c1.xhtml", doctest.XHTML("<p>"+goodChapter+"</p>"), "OEBPS/c2.xhtml", c2)
}

// docxWith is a package whose document.xml is doc.
func docxWith(doc string) []byte { return doctest.DOCX("word/document.xml", doc) }

// ---- XML payloads ----

const billionLaughs = `<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>`

// xxe declares an external entity for path and uses it as e.
func xxe(path string) string {
	return `<!DOCTYPE d [<!ENTITY e SYSTEM "` + path + `">]>`
}

// nest is depth opening tags of open, then the matching closing tags.
func nest(open, close string, depth int) string {
	return strings.Repeat(open, depth) + strings.Repeat(close, depth)
}

// utf16le encodes s as UTF-16LE, with a byte-order mark when bom is set.
func utf16le(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func utf16be(s string) []byte {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.BigEndian.AppendUint16(b, u)
	}
	return b
}

// letters is n bytes of pseudo-random lower-case words: text that does not
// compress far (about 1.7:1) and is not one endless token.
func letters(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		if v := r.IntN(32); v < 26 {
			b[i] = byte('a' + v)
		} else {
			b[i] = ' '
		}
	}
	return b
}

func bytesOf(s string) func(testing.TB) []byte { return func(testing.TB) []byte { return []byte(s) } }

func fixed(b []byte) func(testing.TB) []byte { return func(testing.TB) []byte { return b } }

// ole2 is a minimal OLE2 compound file header; with encrypted set, its
// directory names the EncryptionInfo stream of an encrypted OOXML package.
func ole2(encrypted bool) []byte {
	b := make([]byte, 4096)
	copy(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	binary.LittleEndian.PutUint16(b[0x1A:], 3)
	binary.LittleEndian.PutUint16(b[0x1C:], 0xFFFE)
	binary.LittleEndian.PutUint16(b[0x1E:], 9)
	name := "WordDocument"
	if encrypted {
		name = "EncryptionInfo"
	}
	copy(b[1024:], utf16le(name, false))
	copy(b[1024+128:], utf16le("EncryptedPackage", false))
	if !encrypted {
		copy(b[1024+128:], utf16le("1Table", false))
	}
	return b
}

// ---- the cases ----

// TestHostileZip: zip bombs and lying, overlapping, duplicated and cut
// archives, as EPUB and as DOCX.
func TestHostileZip(t *testing.T) {
	p := newParser(t)
	type kind struct {
		ext string
		// pkg wraps the hostile main entries (the chapter, or document.xml).
		pkg func(main ...doctest.Entry) []byte
		// mainName is the entry the parser must read.
		mainName string
		good     []byte // a well-formed package
		main     []byte // its well-formed main entry
	}
	book := func(main ...doctest.Entry) []byte {
		return doctest.EPUBEntries(append([]doctest.Entry{{Name: "OEBPS/content.opf", Data: []byte(doctest.OPF(`<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>`, `<itemref idref="c1"/>`))}}, main...)...)
	}
	word := func(main ...doctest.Entry) []byte { return doctest.DOCXEntries(main...) }
	chapter, mainDoc := []byte(doctest.XHTML("<p>"+goodChapter+"</p>")), []byte(doctest.WordDocument(doctest.WordPara(goodChapter)))
	kinds := []kind{
		{".epub", book, "OEBPS/c1.xhtml", book(doctest.Entry{Name: "OEBPS/c1.xhtml", Data: chapter}), chapter},
		{".docx", word, "word/document.xml", word(doctest.Entry{Name: "word/document.xml", Data: mainDoc}), mainDoc},
	}
	var cases []hostile
	for _, k := range kinds {
		k := k
		noRatio := with(tight(), func(l *document.Limits) { l.MaxCompressRatio = 1 << 40 })
		cases = append(cases,
			hostile{name: k.ext + "/well-formed control", file: "good" + k.ext, data: fixed(k.good), lim: tight(), check: wantText(goodChapter)},
			hostile{name: k.ext + "/bomb 64MB of zeros over MaxEntryBytes", file: "bomb" + k.ext, lim: noRatio,
				data: func(testing.TB) []byte {
					return k.pkg(doctest.Entry{Name: k.mainName, Raw: doctest.DeflatedZeros(64), Size: 64 << 20})
				},
				want: document.ErrLimit, words: []string{"decompresses to more than"}, heap: 64 << 20},
			hostile{name: k.ext + "/bomb 1GB of zeros, default limits (ratio)", file: "bomb" + k.ext, lim: defaults(),
				data: func(testing.TB) []byte {
					return k.pkg(doctest.Entry{Name: k.mainName, Raw: doctest.DeflatedZeros(1024), Size: 1 << 30})
				},
				// The ratio is checked while inflating, against the compressed
				// bytes consumed so far: the bomb stops a few megabytes in.
				want: document.ErrLimit, words: []string{"ratio", "bomb"}, heap: 48 << 20},
			hostile{name: k.ext + "/bomb 4GB of zeros claimed 0 bytes, default limits", file: "bomb" + k.ext, lim: defaults(),
				data: func(testing.TB) []byte {
					return k.pkg(doctest.Entry{Name: k.mainName, Raw: doctest.DeflatedZeros(4095), Size: 0})
				},
				want: document.ErrLimit, alsoOK: []error{document.ErrMalformed}, either: k.ext == ".epub", words: []string{"ratio", "bomb", "zip", "limit"}, heap: 64 << 20},
			hostile{name: k.ext + "/5000 entries over MaxZipEntries", file: "many" + k.ext, lim: tight(),
				data: func(testing.TB) []byte {
					ents := []doctest.Entry{}
					for i := range 5000 {
						ents = append(ents, doctest.Entry{Name: fmt.Sprintf("junk/%05d.xml", i), Data: []byte("<a/>"), Store: true})
					}
					return k.pkg(ents...)
				},
				want: document.ErrLimit, words: []string{"entries"}},
			hostile{name: k.ext + "/30000 entries, default limits", file: "many" + k.ext, lim: defaults(),
				data: func(testing.TB) []byte {
					ents := []doctest.Entry{}
					for i := range 30000 {
						ents = append(ents, doctest.Entry{Name: fmt.Sprintf("junk/%05d.xml", i), Store: true})
					}
					return k.pkg(ents...)
				},
				want: document.ErrLimit, words: []string{"entries"}},
			hostile{name: k.ext + "/headers claim 10 bytes for 5MB", slow: true, file: "liar" + k.ext, lim: with(tight(), func(l *document.Limits) { l.MaxEntryBytes = 1 << 20 }),
				data: func(testing.TB) []byte {
					return k.pkg(doctest.Entry{Name: k.mainName, Data: append([]byte(doctest.XHTML("<p>"+goodChapter+"</p>")), letters(5<<20, 1)...), Claim: 10})
				},
				want: document.ErrLimit, alsoOK: []error{document.ErrMalformed}, either: k.ext == ".epub", words: []string{"zip", "limit", "decompress"}},
			hostile{name: k.ext + "/headers claim 60MB per entry, 40 entries, default limits", file: "liar" + k.ext, lim: defaults(),
				data: func(testing.TB) []byte {
					var ents []doctest.Entry
					for i := range 40 {
						name := fmt.Sprintf("OEBPS/c%d.xhtml", i+1)
						if k.ext == ".docx" {
							name = []string{"word/document.xml", "word/styles.xml", "word/footnotes.xml", "word/endnotes.xml", "docProps/core.xml", "docProps/app.xml", "word/_rels/document.xml.rels"}[i%7]
						}
						ents = append(ents, doctest.Entry{Name: name, Data: []byte(doctest.XHTML("<p>" + goodChapter + "</p>")), Claim: 60 << 20})
					}
					if k.ext == ".epub" {
						var man, spine strings.Builder
						for i := range 40 {
							fmt.Fprintf(&man, `<item id="c%d" href="c%d.xhtml" media-type="application/xhtml+xml"/>`, i+1, i+1)
							fmt.Fprintf(&spine, `<itemref idref="c%d"/>`, i+1)
						}
						return doctest.EPUBEntries(append([]doctest.Entry{{Name: "OEBPS/content.opf", Data: []byte(doctest.OPF(man.String(), spine.String()))}}, ents...)...)
					}
					return k.pkg(ents...)
				},
				want: document.ErrMalformed, either: true, heap: 100 << 20},
			hostile{name: k.ext + "/duplicate main entry (first wins)", file: "dup" + k.ext, lim: tight(),
				data: func(testing.TB) []byte {
					if k.ext == ".epub" {
						return k.pkg(doctest.Entry{Name: k.mainName, Data: []byte(doctest.XHTML("<p>First copy of the chapter.</p>"))}, doctest.Entry{Name: k.mainName, Data: []byte(doctest.XHTML("<p>Second copy.</p>"))})
					}
					return k.pkg(doctest.Entry{Name: k.mainName, Data: []byte(doctest.WordDocument(doctest.WordPara("First copy of the chapter.")))}, doctest.Entry{Name: k.mainName, Data: []byte(doctest.WordDocument(doctest.WordPara("Second copy.")))})
				},
				check: wantText("First copy of the chapter.")},
			hostile{name: k.ext + "/comment-only EOCD", file: "empty" + k.ext, lim: tight(),
				data: func(testing.TB) []byte {
					b := make([]byte, 22)
					binary.LittleEndian.PutUint32(b, 0x06054b50)
					binary.LittleEndian.PutUint16(b[20:], 22)
					return append(b, []byte("just a comment, no data")...)
				},
				want: document.ErrMalformed, words: []string{"empty", "zip", "archive"}},
			hostile{name: k.ext + "/central directory cut in half (repairable)", file: "cut" + k.ext, lim: tight(),
				data: func(testing.TB) []byte {
					cd := bytes.Index(k.good, []byte("PK\x01\x02"))
					return k.good[:cd+(len(k.good)-cd)/2]
				},
				want: document.ErrMalformed, either: true, check: wantText(goodChapter)},
			hostile{name: k.ext + "/last entry and central directory cut (repairable)", file: "cut" + k.ext, lim: tight(),
				data: func(testing.TB) []byte {
					b := k.pkg(doctest.Entry{Name: k.mainName, Data: k.main}, doctest.Entry{Name: "zz/padding.bin", Data: letters(20000, 3)})
					return b[:bytes.Index(b, []byte("PK\x01\x02"))-5000]
				},
				check: wantText(goodChapter)},
			hostile{name: k.ext + "/unknown compression method 99 on the main entry", file: "method" + k.ext, lim: tight(),
				data: func(testing.TB) []byte { return k.pkg(doctest.Entry{Name: k.mainName, Data: k.main, Method: 99}) },
				want: document.ErrMalformed, alsoOK: []error{document.ErrUnsupported}, either: k.ext == ".epub", words: []string{"zip", "compression", "method", "algorithm"}},
			hostile{name: k.ext + "/deflate stream of garbage", file: "garbage" + k.ext, lim: tight(),
				data: func(testing.TB) []byte {
					return k.pkg(doctest.Entry{Name: k.mainName, Raw: letters(4096, 9), Size: 100000})
				},
				want: document.ErrMalformed, either: k.ext == ".epub", words: []string{"zip", "flate", "corrupt"}},
		)
	}
	// Overlapping entries (a non-recursive zip bomb): 2000 central directory
	// entries share one local entry of 900 KB (under the ratio floor).
	overlap := func(n int) []byte {
		kernel := []byte(doctest.XHTML("<p>" + strings.Repeat("ember ", 150_000) + "</p>"))
		var man, spine strings.Builder
		ents := []doctest.Entry{{Name: "OEBPS/c1.xhtml", Data: kernel}}
		for i := range n {
			fmt.Fprintf(&man, `<item id="c%d" href="c%d.xhtml" media-type="application/xhtml+xml"/>`, i+1, i+1)
			fmt.Fprintf(&spine, `<itemref idref="c%d"/>`, i+1)
			if i > 0 {
				ents = append(ents, doctest.Entry{Name: fmt.Sprintf("OEBPS/c%d.xhtml", i+1), Alias: 4}) // mimetype, container, OPF, c1
			}
		}
		return doctest.EPUBEntries(append([]doctest.Entry{{Name: "OEBPS/content.opf", Data: []byte(doctest.OPF(man.String(), spine.String()))}}, ents...)...)
	}
	cases = append(cases,
		hostile{name: ".epub/2000 overlapping entries share one 900KB entry", file: "overlap.epub", lim: with(tight(), func(l *document.Limits) { l.MaxZipEntries = 5000 }),
			data: func(testing.TB) []byte { return overlap(2000) },
			want: document.ErrMalformed, alsoOK: []error{document.ErrLimit}, words: []string{"overlap", "decompress", "text", "limit"}},
		hostile{name: ".epub/2000 overlapping entries, default limits", file: "overlap.epub", lim: defaults(),
			data: func(testing.TB) []byte { return overlap(2000) },
			want: document.ErrMalformed, alsoOK: []error{document.ErrLimit}, words: []string{"overlap", "decompress", "text", "limit"}},
		hostile{name: ".docx/total decompressed over MaxDecompressed", slow: true, file: "total.docx",
			lim: with(tight(), func(l *document.Limits) { l.MaxDecompressed = 4 << 20; l.MaxCompressRatio = 1 << 40 }),
			data: func(testing.TB) []byte {
				body := doctest.WordPara(string(letters(3<<20, 5)))
				return doctest.DOCX("word/document.xml", doctest.WordDocument(body), "word/footnotes.xml", `<w:footnotes xmlns:w="`+doctest.WordNS+`"><w:footnote w:id="1">`+body+`</w:footnote></w:footnotes>`)
			},
			want: document.ErrLimit, words: []string{"decompress"}},
		hostile{name: ".epub/total decompressed over MaxDecompressed", slow: true, file: "total.epub",
			lim: with(tight(), func(l *document.Limits) { l.MaxDecompressed = 4 << 20; l.MaxCompressRatio = 1 << 40 }),
			data: func(testing.TB) []byte {
				var man, spine strings.Builder
				pairs := []string{}
				for i := range 10 {
					fmt.Fprintf(&man, `<item id="c%d" href="c%d.xhtml" media-type="application/xhtml+xml"/>`, i+1, i+1)
					fmt.Fprintf(&spine, `<itemref idref="c%d"/>`, i+1)
					pairs = append(pairs, fmt.Sprintf("OEBPS/c%d.xhtml", i+1), doctest.XHTML("<p>"+string(letters(900_000, uint64(i)))+"</p>"))
				}
				return doctest.EPUB(append([]string{"OEBPS/content.opf", doctest.OPF(man.String(), spine.String())}, pairs...)...)
			},
			want: document.ErrLimit, words: []string{"decompress"}},
	)
	runCases(t, p, cases)
}

// TestHostileXML: entity expansion, external entities, depth, huge text
// nodes, broken and unusual encodings, in the XML of DOCX and EPUB packages.
func TestHostileXML(t *testing.T) {
	p := newParser(t)
	secret := "../secret.xhtml" // planted by runCases next to each case's folder
	cases := []hostile{
		// Billion laughs.
		{name: "docx/billion laughs in document.xml", file: "lol.docx", lim: tight(),
			data: bytesOf(string(docxWith(`<?xml version="1.0"?>` + billionLaughs + `<w:document xmlns:w="` + doctest.WordNS + `"><w:body>` + doctest.WordPara("&lol9;") + `</w:body></w:document>`))),
			want: document.ErrMalformed, words: []string{"entit"}, heap: 32 << 20},
		{name: "epub/billion laughs in the package document", file: "lol.epub", lim: tight(),
			data: bytesOf(string(doctest.EPUB("OEBPS/content.opf", `<?xml version="1.0"?>`+billionLaughs+strings.TrimPrefix(oneChapterOPF, `<?xml version="1.0" encoding="UTF-8"?>`), "OEBPS/c1.xhtml", doctest.XHTML("<p>"+goodChapter+"</p>")))),
			want: document.ErrMalformed, words: []string{"entit"}, heap: 32 << 20},
		{name: "epub/billion laughs in a chapter (not expanded)", file: "lol.epub", lim: tight(),
			data:  bytesOf(string(bookWith(`<?xml version="1.0"?>` + billionLaughs + `<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p></body></html>`))),
			check: all(wantText(goodChapter), noText("lollollol")), heap: 32 << 20},
		{name: "epub/billion laughs in container.xml", file: "lol.epub", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.ZipOf(doctest.Entry{Name: "mimetype", Data: []byte("application/epub+zip"), Store: true},
					doctest.Entry{Name: "META-INF/container.xml", Data: []byte(`<?xml version="1.0"?>` + billionLaughs + `<container><rootfiles><rootfile full-path="&lol9;"/></rootfiles></container>`)},
					doctest.Entry{Name: "OEBPS/content.opf", Data: []byte(oneChapterOPF)}, doctest.Entry{Name: "OEBPS/c1.xhtml", Data: []byte(doctest.XHTML("<p>" + goodChapter + "</p>"))})
			},
			want: document.ErrMalformed, either: true, check: wantText(goodChapter), heap: 32 << 20},
		{name: "docx/billion laughs in core.xml metadata", file: "lol.docx", lim: tight(),
			data: bytesOf(string(doctest.DOCX("word/document.xml", doctest.WordDocument(doctest.WordPara(goodChapter)), "docProps/core.xml", `<?xml version="1.0"?>`+billionLaughs+`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&lol9;</dc:title></cp:coreProperties>`))),
			check: all(wantText(goodChapter), func(t *testing.T, out *document.Output) {
				if strings.Contains(out.Metadata.Title, "lollol") {
					t.Errorf("entity expanded into the title")
				}
			}), heap: 32 << 20},
		// External entities: /etc/passwd and a canary file next to the input.
		{name: "docx/external entity file:///etc/passwd", file: "xxe.docx", lim: tight(),
			data: bytesOf(string(docxWith(`<?xml version="1.0"?>` + xxe("file:///etc/passwd") + `<w:document xmlns:w="` + doctest.WordNS + `"><w:body>` + doctest.WordPara("&e;") + `</w:body></w:document>`))),
			want: document.ErrMalformed, words: []string{"entit"}},
		{name: "docx/external entity, relative path to a file next to the input", file: "xxe.docx", lim: tight(),
			data: bytesOf(string(docxWith(`<?xml version="1.0"?>` + xxe(secret) + `<w:document xmlns:w="` + doctest.WordNS + `"><w:body>` + doctest.WordPara("&e;") + `</w:body></w:document>`))),
			want: document.ErrMalformed, words: []string{"entit"}},
		{name: "epub/external entity in a chapter", file: "xxe.epub", lim: tight(),
			data: bytesOf(string(bookWith(`<?xml version="1.0"?>` + xxe("file:///etc/passwd") + `<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&e;</p></body></html>`))),
			want: document.ErrMalformed, either: true, check: wantText(goodChapter)},
		{name: "epub/external entity in the nav document", file: "xxe.epub", lim: tight(),
			data: bytesOf(string(doctest.EPUB("OEBPS/content.opf", doctest.OPF(`<item id="nav" href="nav.xhtml" properties="nav" media-type="application/xhtml+xml"/><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>`, `<itemref idref="c1"/>`),
				"OEBPS/nav.xhtml", `<?xml version="1.0"?>`+xxe("file:///etc/passwd")+`<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body><nav epub:type="toc"><ol><li><a href="c1.xhtml">&e;</a></li></ol></nav></body></html>`,
				"OEBPS/c1.xhtml", doctest.XHTML("<p>"+goodChapter+"</p>")))),
			check: wantText(goodChapter)},
		{name: "docx/XInclude and external relationship targets are not followed", file: "xinclude.docx", lim: tight(),
			data: bytesOf(string(doctest.DOCX(
				"word/document.xml", `<w:document xmlns:w="`+doctest.WordNS+`" xmlns:xi="http://www.w3.org/2001/XInclude"><w:body>`+doctest.WordPara(goodChapter)+`<xi:include href="file:///etc/passwd" parse="text"/><xi:include href="`+secret+`" parse="text"/></w:body></w:document>`,
				"word/_rels/document.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="file:///etc/passwd" TargetMode="External"/><Relationship Id="r2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="../../../../../../etc/passwd"/><Relationship Id="r3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="`+secret+`"/></Relationships>`))),
			check: wantText(goodChapter)},
		// Depth.
		{name: "docx/nesting depth 100000", file: "deep.docx", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Store: true, Data: []byte(doctest.WordDocument(nest("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>", 50_000)))})
			},
			want: document.ErrLimit, words: []string{"nested", "depth", "deep"}},
		{name: "docx/nesting depth 100000, default limits", file: "deep.docx", lim: defaults(),
			data: func(testing.TB) []byte {
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Store: true, Data: []byte(doctest.WordDocument(nest("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>", 50_000)))})
			},
			want: document.ErrLimit, words: []string{"nested", "depth", "deep"}},
		{name: "epub/chapter nested 100000 divs", file: "deep.epub", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.EPUBEntries(doctest.Entry{Name: "OEBPS/content.opf", Data: []byte(oneChapterOPF)}, doctest.Entry{Name: "OEBPS/c1.xhtml", Data: []byte(doctest.XHTML("<p>" + goodChapter + "</p>"))},
					doctest.Entry{Name: "OEBPS/c2.xhtml", Data: []byte(doctest.XHTML(nest("<div>", "</div>", 100_000) + "<p>After the deep part.</p>")), Store: true})
			},
			want: document.ErrLimit, either: true, check: wantText(goodChapter)},
		{name: "epub/package document nested 100000 deep", file: "deep.epub", lim: tight(),
			data: bytesOf(string(doctest.EPUB("OEBPS/content.opf", strings.Replace(oneChapterOPF, "<manifest>", "<manifest>"+nest("<x>", "</x>", 100_000), 1), "OEBPS/c1.xhtml", doctest.XHTML("<p>"+goodChapter+"</p>")))),
			want: document.ErrLimit, alsoOK: []error{document.ErrMalformed}, words: []string{"nested", "depth", "deep"}},
		// A 50 MB text node against MaxTextBytes (stored, so no ratio trips).
		{name: "docx/50MB text node vs MaxTextBytes 1MB", slow: true, file: "huge.docx",
			lim: with(tight(), func(l *document.Limits) {
				l.MaxTextBytes = 1 << 20
				l.MaxEntryBytes = 64 << 20
				l.MaxDecompressed = 64 << 20
			}),
			data: func(testing.TB) []byte {
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Data: []byte(doctest.WordDocument(doctest.WordPara(string(letters(50<<20, 7))))), Store: true})
			},
			want: document.ErrLimit, either: true, heap: 350 << 20, check: maxText(1 << 20)},
		{name: "epub/50MB text node vs MaxTextBytes 1MB", slow: true, file: "huge.epub",
			lim: with(tight(), func(l *document.Limits) {
				l.MaxTextBytes = 1 << 20
				l.MaxEntryBytes = 64 << 20
				l.MaxDecompressed = 64 << 20
			}),
			data: func(testing.TB) []byte {
				return doctest.EPUBEntries(doctest.Entry{Name: "OEBPS/content.opf", Data: []byte(oneChapterOPF)}, doctest.Entry{Name: "OEBPS/c1.xhtml", Data: []byte(doctest.XHTML("<p>" + goodChapter + "</p>"))},
					doctest.Entry{Name: "OEBPS/c2.xhtml", Data: []byte(doctest.XHTML("<p>" + string(letters(50<<20, 8)) + "</p>")), Store: true})
			},
			want: document.ErrLimit, either: true, heap: 350 << 20, check: maxText(1 << 20)},
		// Encodings.
		{name: "docx/invalid UTF-8 in document.xml", file: "utf8.docx", lim: tight(),
			data:  bytesOf(string(docxWith(doctest.WordDocument(doctest.WordPara("Caf\xe9 of the \xff\xfe\xc3 Ashen Road") + doctest.WordPara(goodChapter))))),
			check: wantText("Ashen Road", goodChapter)},
		{name: "epub/invalid UTF-8 in a chapter", file: "utf8.epub", lim: tight(),
			data:  bytesOf(string(bookWith(doctest.XHTML("<p>Caf\xe9 of the \xff\xfe\xc3 Ashen Road</p>")))),
			check: wantText("Ashen Road", goodChapter)},
		{name: "docx/UTF-16LE document.xml with BOM", file: "utf16.docx", lim: tight(),
			data: func(testing.TB) []byte {
				doc := strings.Replace(doctest.WordDocument(doctest.WordPara("Hello from UTF-16, \u00e9l\u00e8ve.")), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Data: utf16le(doc, true)})
			},
			check: wantText("Hello from UTF-16, \u00e9l\u00e8ve.")},
		{name: "docx/UTF-16BE document.xml with BOM", file: "utf16.docx", lim: tight(),
			data: func(testing.TB) []byte {
				doc := strings.Replace(doctest.WordDocument(doctest.WordPara("Hello from UTF-16BE.")), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Data: utf16be(doc)})
			},
			check: wantText("Hello from UTF-16BE.")},
		{name: "docx/UTF-16LE document.xml without BOM", file: "utf16.docx", lim: tight(),
			data: func(testing.TB) []byte {
				doc := strings.Replace(doctest.WordDocument(doctest.WordPara("Hello without a BOM.")), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Data: utf16le(doc, false)})
			},
			want: document.ErrMalformed, either: true, words: []string{"XML", "encoding", "UTF-16"}, check: wantText("Hello without a BOM.")},
		{name: "docx/UTF-16 declared, UTF-8 bytes", file: "utf16.docx", lim: tight(),
			data:  bytesOf(string(docxWith(strings.Replace(doctest.WordDocument(doctest.WordPara(goodChapter)), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)))),
			check: wantText(goodChapter)},
		{name: "epub/UTF-16LE chapter with BOM", file: "utf16.epub", lim: tight(),
			data: func(testing.TB) []byte {
				return bookWith(string(utf16le(doctest.XHTML("<p>Chapter in UTF-16.</p>"), true)))
			},
			check: wantText(goodChapter, "Chapter in UTF-16.")},
		// Namespaces.
		{name: "docx/strict and transitional namespaces mixed", file: "ns.docx", lim: tight(),
			data: bytesOf(string(docxWith(`<w:document xmlns:w="` + doctest.WordNS + `" xmlns:s="` + doctest.WordStrictNS + `"><w:body>` + doctest.WordPara("Transitional paragraph.") +
				`<s:p><s:r><s:t>Strict paragraph.</s:t></s:r></s:p><w:p xmlns:w="` + doctest.WordStrictNS + `"><w:r><w:t>Redeclared prefix.</w:t></w:r></w:p>` + doctest.WordPara("Back to transitional.") + `</w:body></w:document>`))),
			check: wantText("Transitional paragraph.", "Strict paragraph.", "Redeclared prefix.", "Back to transitional.")},
		{name: "docx/strict document", file: "strict.docx", lim: tight(),
			data:  bytesOf(string(docxWith(strings.ReplaceAll(doctest.WordDocument(doctest.WordPara(goodChapter)), doctest.WordNS, doctest.WordStrictNS)))),
			check: wantText(goodChapter)},
		{name: "docx/unbound prefixes", file: "ns.docx", lim: tight(),
			data: bytesOf(string(docxWith(`<w:document><w:body>` + doctest.WordPara(goodChapter) + `</w:body></w:document>`))),
			want: document.ErrMalformed, either: true, check: wantText(goodChapter)},
	}
	runCases(t, p, cases)
}

// maxText returns a check that the Output holds at most n bytes of text,
// with a warning saying it was cut.
func maxText(n int) func(*testing.T, *document.Output) {
	return func(t *testing.T, out *document.Output) {
		t.Helper()
		size := 0
		for _, b := range out.Content {
			size += len(b.Text)
		}
		if size > n {
			t.Errorf("%d bytes of text kept (limit %d)", size, n)
		}
		if size == 0 {
			t.Errorf("nothing kept: text over the limit should be cut at the limit, not dropped whole")
		}
		cut := false
		for _, w := range out.Warnings {
			cut = cut || strings.Contains(w.Reason, "truncat") || strings.Contains(w.Reason, "limit")
		}
		if !cut {
			t.Errorf("no warning says the text was cut: %v", out.Warnings)
		}
	}
}

// manySpine is a package document of n chapters; ref gives chapter i's
// itemref id, and items whether the manifest lists each chapter.
func manySpine(n int, sameChapter bool) string {
	var man, spine strings.Builder
	man.WriteString(`<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>`)
	for i := range n {
		if sameChapter {
			spine.WriteString(`<itemref idref="c1"/>`)
			continue
		}
		if i > 0 {
			fmt.Fprintf(&man, `<item id="m%d" href="missing%d.xhtml" media-type="application/xhtml+xml"/>`, i, i)
			fmt.Fprintf(&spine, `<itemref idref="m%d"/>`, i)
		} else {
			spine.WriteString(`<itemref idref="c1"/>`)
		}
	}
	return doctest.OPF(man.String(), spine.String())
}

// TestHostileEPUB: package structure that points outside the archive, at
// itself, or nowhere, and navigation that is too big.
func TestHostileEPUB(t *testing.T) {
	p := newParser(t)
	c1 := doctest.XHTML("<p>" + goodChapter + "</p>")
	nav := func(inner string) string {
		return `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body><nav epub:type="toc">` + inner + `</nav></body></html>`
	}
	navOPF := doctest.OPF(`<item id="nav" href="nav.xhtml" properties="nav" media-type="application/xhtml+xml"/><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>`, `<itemref idref="c1"/>`)
	outside := func(container string, withOPF bool) func(testing.TB) []byte {
		return func(testing.TB) []byte {
			ents := []doctest.Entry{{Name: "mimetype", Data: []byte("application/epub+zip"), Store: true}, {Name: "META-INF/container.xml", Data: []byte(doctest.ContainerXML(container))}}
			if withOPF {
				ents = append(ents, doctest.Entry{Name: "OEBPS/content.opf", Data: []byte(oneChapterOPF)}, doctest.Entry{Name: "OEBPS/c1.xhtml", Data: []byte(c1)})
			}
			return doctest.ZipOf(ents...)
		}
	}
	cases := []hostile{
		{name: "container full-path ../../etc/passwd, no package document", file: "out.epub", lim: tight(), data: outside("../../etc/passwd", false),
			want: document.ErrMalformed, words: []string{"package document", ".opf"}},
		{name: "container full-path /etc/passwd, package document elsewhere", file: "out.epub", lim: tight(), data: outside("/etc/passwd", true),
			check: wantText(goodChapter)},
		{name: "container full-path file:///etc/passwd", file: "out.epub", lim: tight(), data: outside("file:///etc/passwd", true),
			check: wantText(goodChapter)},
		{name: "container full-path to a file next to the input", file: "out.epub", lim: tight(), data: outside("../secret.xhtml", false),
			want: document.ErrMalformed, words: []string{"package document", ".opf"}},
		{name: "manifest hrefs outside the archive", file: "out.epub", lim: tight(),
			data: bytesOf(string(doctest.EPUB("OEBPS/content.opf", doctest.OPF(`<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/><item id="a" href="../../../../../../etc/passwd" media-type="application/xhtml+xml"/><item id="b" href="file:///etc/passwd" media-type="application/xhtml+xml"/><item id="c" href="/etc/passwd" media-type="application/xhtml+xml"/><item id="d" href="../../secret.xhtml" media-type="application/xhtml+xml"/><item id="e" href="http://127.0.0.1:1/x.xhtml" media-type="application/xhtml+xml"/>`,
				`<itemref idref="a"/><itemref idref="c1"/><itemref idref="b"/><itemref idref="c"/><itemref idref="d"/><itemref idref="e"/>`), "OEBPS/c1.xhtml", c1))),
			check: wantText(goodChapter)},
		{name: "spine of 100000 itemrefs to one chapter", slow: true, file: "spine.epub", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.EPUBEntries(doctest.Entry{Name: "OEBPS/content.opf", Data: []byte(manySpine(100_000, true)), Store: true}, doctest.Entry{Name: "OEBPS/c1.xhtml", Data: []byte(c1)})
			},
			check: all(wantText(goodChapter), maxBlocks(10))},
		{name: "spine of 100000 itemrefs to missing chapters", file: "spine.epub", lim: tight(),
			data: bytesOf(string(doctest.EPUB("OEBPS/content.opf", manySpine(100_000, false), "OEBPS/c1.xhtml", c1))),
			want: document.ErrLimit, either: true, check: wantText(goodChapter)},
		{name: "spine of 100000 itemrefs, default limits", slow: true, file: "spine.epub", lim: defaults(),
			data: bytesOf(string(doctest.EPUB("OEBPS/content.opf", manySpine(100_000, false), "OEBPS/c1.xhtml", c1))),
			want: document.ErrLimit, either: true, check: wantText(goodChapter)},
		{name: "5MB dc:title", slow: true, file: "title.epub", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.EPUBEntries(doctest.Entry{Name: "OEBPS/content.opf", Store: true, Data: []byte(strings.Replace(oneChapterOPF, "Hostile Book", string(letters(5<<20, 61)), 1))},
					doctest.Entry{Name: "OEBPS/c1.xhtml", Data: []byte(c1)})
			},
			check: all(wantText(goodChapter), maxMeta(64<<10))},
		{name: "spine item falls back to itself", file: "fallback.epub", lim: tight(),
			data: bytesOf(string(doctest.EPUB("OEBPS/content.opf", doctest.OPF(`<item id="img" href="a.png" media-type="image/png" fallback="img"/><item id="x" href="x.bin" media-type="application/x-foo" fallback="x"/><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>`, `<itemref idref="img"/><itemref idref="x"/><itemref idref="c1"/>`),
				"OEBPS/c1.xhtml", c1, "OEBPS/a.png", "\x89PNG"))),
			check: wantText(goodChapter)},
		{name: "fallback cycle a->b->c->a", file: "fallback.epub", lim: tight(),
			data: bytesOf(string(doctest.EPUB("OEBPS/content.opf", doctest.OPF(`<item id="a" href="a.bin" media-type="application/x-a" fallback="b"/><item id="b" href="b.bin" media-type="application/x-b" fallback="c"/><item id="c" href="c.bin" media-type="application/x-c" fallback="a"/><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>`, `<itemref idref="a"/><itemref idref="c1"/><itemref idref="b"/>`),
				"OEBPS/c1.xhtml", c1))),
			check: wantText(goodChapter)},
		{name: "fallback chain 100000 long", slow: true, file: "fallback.epub", lim: tight(),
			data: func(testing.TB) []byte {
				var man strings.Builder
				for i := range 100_000 {
					fmt.Fprintf(&man, `<item id="f%d" href="f%d.bin" media-type="application/x-f" fallback="f%d"/>`, i, i, i+1)
				}
				man.WriteString(`<item id="f100000" href="c1.xhtml" media-type="application/xhtml+xml"/>`)
				spine := strings.Repeat(`<itemref idref="f0"/>`, 1000)
				return doctest.EPUB("OEBPS/content.opf", doctest.OPF(man.String(), spine), "OEBPS/c1.xhtml", c1)
			},
			want: document.ErrLimit, either: true},
		{name: "spine item is the package document itself", file: "self.epub", lim: tight(),
			data:  bytesOf(string(doctest.EPUB("OEBPS/content.opf", doctest.OPF(`<item id="opf" href="content.opf" media-type="application/xhtml+xml"/><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>`, `<itemref idref="opf"/><itemref idref="c1"/>`), "OEBPS/c1.xhtml", c1))),
			check: wantText(goodChapter)},
		{name: "nav nested 100000 deep", slow: true, file: "nav.epub", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.EPUBEntries(doctest.Entry{Name: "OEBPS/content.opf", Data: []byte(navOPF)}, doctest.Entry{Name: "OEBPS/c1.xhtml", Data: []byte(c1)},
					doctest.Entry{Name: "OEBPS/nav.xhtml", Store: true, Data: []byte(nav(nest(`<ol><li><a href="c1.xhtml">Deep</a>`, `</li></ol>`, 100_000)))})
			},
			check: all(wantText(goodChapter), maxTOC(100))},
		{name: "nav with 200000 entries vs MaxOutlineEntries 100", slow: true, file: "nav.epub", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.EPUBEntries(doctest.Entry{Name: "OEBPS/content.opf", Data: []byte(navOPF)}, doctest.Entry{Name: "OEBPS/c1.xhtml", Data: []byte(c1)},
					doctest.Entry{Name: "OEBPS/nav.xhtml", Store: true, Data: []byte(nav("<ol>" + strings.Repeat(`<li><a href="c1.xhtml#x">Entry</a></li>`, 200_000) + "</ol>"))})
			},
			check: all(wantText(goodChapter), maxTOC(100))},
		{name: "NCX nested 100000 deep", file: "ncx.epub", lim: tight(),
			data: func(testing.TB) []byte {
				o := doctest.OPF(`<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>`, `<itemref idref="c1"/>`)
				o = strings.Replace(o, "<spine>", `<spine toc="ncx">`, 1)
				ncx := `<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>` + nest(`<navPoint><navLabel><text>Deep</text></navLabel><content src="c1.xhtml"/>`, `</navPoint>`, 100_000) + `</navMap></ncx>`
				return doctest.EPUBEntries(doctest.Entry{Name: "OEBPS/content.opf", Data: []byte(o)}, doctest.Entry{Name: "OEBPS/c1.xhtml", Data: []byte(c1)}, doctest.Entry{Name: "OEBPS/toc.ncx", Store: true, Data: []byte(ncx)})
			},
			check: all(wantText(goodChapter), maxTOC(100))},
		{name: "first chapter missing", file: "missing.epub", lim: tight(),
			data:  bytesOf(string(doctest.EPUB("OEBPS/content.opf", oneChapterOPF, "OEBPS/c2.xhtml", doctest.XHTML("<p>The second chapter.</p>")))),
			check: all(wantText("The second chapter."), wantWarning("c1.xhtml"))},
		{name: "every chapter missing", file: "missing.epub", lim: tight(),
			data: bytesOf(string(doctest.EPUB("OEBPS/content.opf", oneChapterOPF))),
			want: document.ErrNoText, alsoOK: []error{document.ErrMalformed}, either: true, check: wantWarning("c1.xhtml")},
		{name: "mimetype only", file: "bare.epub", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.ZipOf(doctest.Entry{Name: "mimetype", Data: []byte("application/epub+zip"), Store: true})
			},
			want: document.ErrMalformed, words: []string{"package document", ".opf", "container"}},
		{name: "package document is binary junk", file: "junk.epub", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.EPUBEntries(doctest.Entry{Name: "OEBPS/content.opf", Data: letters(2000, 4)}, doctest.Entry{Name: "OEBPS/c1.xhtml", Data: []byte(c1)})
			},
			want: document.ErrMalformed, either: true},
		{name: "chapter that is a PNG", file: "png.epub", lim: tight(),
			data:  bytesOf(string(bookWith("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + strings.Repeat("\x00", 100)))),
			check: wantText(goodChapter)},
	}
	runCases(t, p, cases)
}

// TestHostileDOCX: encrypted and legacy containers, missing and repeated
// parts, and markup Word itself would never write.
func TestHostileDOCX(t *testing.T) {
	p := newParser(t)
	fld := func(kind string) string { return `<w:r><w:fldChar w:fldCharType="` + kind + `"/></w:r>` }
	instr := `<w:r><w:instrText xml:space="preserve"> HYPERLINK "file:///etc/passwd" </w:instrText></w:r>`
	run := func(s string) string { return `<w:r><w:t xml:space="preserve">` + s + `</w:t></w:r>` }
	cases := []hostile{
		{name: "OLE2 encrypted package", file: "secret.docx", lim: tight(), data: fixed(ole2(true)),
			want: document.ErrEncrypted, words: []string{"encrypted"}},
		{name: "OLE2 encrypted package named .pdf", file: "secret.pdf", lim: tight(), data: fixed(ole2(true)),
			want: document.ErrEncrypted, words: []string{"encrypted"}},
		{name: "OLE2 legacy Word named .docx", file: "old.docx", lim: tight(), data: fixed(ole2(false)),
			want: document.ErrUnsupported, words: []string{"Word 97", "legacy", "OLE2"}},
		{name: "OLE2 header only, 8 bytes", file: "stub.docx", lim: tight(), data: bytesOf("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
			want: document.ErrUnsupported, alsoOK: []error{document.ErrMalformed}, words: []string{"OLE2", "legacy"}},
		{name: "document.xml missing", file: "nodoc.docx", lim: tight(),
			data: bytesOf(string(doctest.DOCX("word/styles.xml", `<w:styles xmlns:w="`+doctest.WordNS+`"/>`))),
			want: document.ErrMalformed, words: []string{"document.xml"}},
		{name: "officeDocument relationship pointing at itself", file: "selfrel.docx", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.ZipOf(doctest.Entry{Name: "[Content_Types].xml", Data: []byte(doctest.ContentTypes)},
					doctest.Entry{Name: "_rels/.rels", Data: []byte(strings.Replace(doctest.RootRels, "word/document.xml", "_rels/.rels", 1))},
					doctest.Entry{Name: "word/document.xml", Data: []byte(doctest.WordDocument(doctest.WordPara(goodChapter)))})
			},
			want: document.ErrMalformed, either: true, check: wantText(goodChapter)},
		{name: "three w:body elements", file: "bodies.docx", lim: tight(),
			data:  bytesOf(string(docxWith(`<w:document xmlns:w="` + doctest.WordNS + `"><w:body>` + doctest.WordPara("Body one.") + `</w:body><w:body>` + doctest.WordPara("Body two.") + `</w:body><w:body>` + doctest.WordPara("Body three.") + `</w:body></w:document>`))),
			check: wantText("Body one.")},
		{name: "field never closed after its result", file: "field.docx", lim: tight(),
			data:  bytesOf(string(docxWith(doctest.WordDocument(`<w:p>` + run("Before the field. ") + fld("begin") + instr + fld("separate") + run("Shown result") + `</w:p>` + doctest.WordPara("After the field.") + doctest.WordPara("Last paragraph."))))),
			check: all(wantText("Before the field.", "Shown result", "Last paragraph."), noText("HYPERLINK", "passwd"))},
		{name: "field never separated nor closed", file: "field.docx", lim: tight(),
			data:  bytesOf(string(docxWith(doctest.WordDocument(`<w:p>` + run("Before the field. ") + fld("begin") + instr + `</w:p>` + doctest.WordPara("After the field.") + doctest.WordPara("Last paragraph."))))),
			check: all(wantText("Before the field."), noText("HYPERLINK", "passwd"), textOrWarning("Last paragraph.", "field"))},
		{name: "30000 nested field begins", slow: true, file: "field.docx", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Store: true, Data: []byte(doctest.WordDocument(`<w:p>` + run("Before. ") + strings.Repeat(fld("begin")+instr, 30_000) + `</w:p>` + doctest.WordPara("Tail.")))})
			},
			check: all(wantText("Before."), textOrWarning("Tail.", "field"))},
		{name: "styles whose basedOn chain loops", file: "styles.docx", lim: tight(),
			data: bytesOf(string(doctest.DOCX("word/document.xml", doctest.WordDocument(`<w:p><w:pPr><w:pStyle w:val="A"/><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>`+run(goodChapter)+`</w:p>`),
				"word/styles.xml", `<w:styles xmlns:w="`+doctest.WordNS+`"><w:style w:styleId="A"><w:basedOn w:val="B"/></w:style><w:style w:styleId="B"><w:basedOn w:val="C"/></w:style><w:style w:styleId="C"><w:basedOn w:val="A"/></w:style></w:styles>`))),
			check: wantText(goodChapter)},
		{name: "style basedOn chain 100000 long", slow: true, file: "styles.docx", lim: tight(),
			data: func(testing.TB) []byte {
				var st strings.Builder
				st.WriteString(`<w:styles xmlns:w="` + doctest.WordNS + `">`)
				for i := range 100_000 {
					fmt.Fprintf(&st, `<w:style w:styleId="s%d"><w:basedOn w:val="s%d"/></w:style>`, i, i+1)
				}
				st.WriteString(`<w:style w:styleId="s100000"><w:name w:val="heading 1"/></w:style></w:styles>`)
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Data: []byte(doctest.WordDocument(`<w:p><w:pPr><w:pStyle w:val="s0"/></w:pPr>` + run(goodChapter) + `</w:p>`))},
					doctest.Entry{Name: "word/styles.xml", Data: []byte(st.String()), Store: true})
			},
			want: document.ErrLimit, either: true, check: wantText(goodChapter)},
		{name: "5MB title in core.xml", file: "title.docx", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Data: []byte(doctest.WordDocument(doctest.WordPara(goodChapter)))},
					doctest.Entry{Name: "docProps/core.xml", Store: true, Data: []byte(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + string(letters(5<<20, 62)) + `</dc:title></cp:coreProperties>`)})
			},
			check: all(wantText(goodChapter), maxMeta(64<<10))},
		{name: "w:del everywhere", file: "del.docx", lim: tight(),
			data: bytesOf(string(docxWith(doctest.WordDocument(strings.Repeat(`<w:p><w:del w:id="1" w:author="x"><w:r><w:delText>Deleted words.</w:delText></w:r><w:r><w:t>Deleted too.</w:t></w:r></w:del></w:p>`, 1000) +
				`<w:p><w:del w:id="2"><w:r><w:t>` + strings.Repeat("gone ", 100) + `</w:t></w:r></w:del><w:ins w:id="3"><w:r><w:t>Inserted words.</w:t></w:r></w:ins></w:p>`)))),
			check: all(wantText("Inserted words."), noText("Deleted", "gone"))},
		{name: "only deleted text", file: "del.docx", lim: tight(),
			data: bytesOf(string(docxWith(doctest.WordDocument(strings.Repeat(`<w:p><w:del><w:r><w:delText>Deleted words.</w:delText></w:r></w:del></w:p>`, 100))))),
			want: document.ErrNoText, either: true, check: noText("Deleted")},
		{name: "document.xml is binary junk", file: "junk.docx", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Data: letters(5000, 11)})
			},
			want: document.ErrMalformed, either: true},
		{name: "document.xml empty", file: "empty.docx", lim: tight(),
			data: bytesOf(string(docxWith(""))),
			want: document.ErrMalformed, alsoOK: []error{document.ErrNoText}, either: true},
		{name: "1000000 empty paragraphs vs MaxXMLTokens", file: "tokens.docx", lim: with(tight(), func(l *document.Limits) { l.MaxXMLTokens = 100_000 }),
			data: func(testing.TB) []byte {
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Store: true, Data: []byte(doctest.WordDocument(strings.Repeat("<w:p/>", 1_000_000)))})
			},
			want: document.ErrLimit, words: []string{"token"}},
		{name: "text box nested in text box 10000 deep", file: "txbx.docx", lim: tight(),
			data: func(testing.TB) []byte {
				return doctest.DOCXEntries(doctest.Entry{Name: "word/document.xml", Store: true, Data: []byte(doctest.WordDocument(doctest.WordPara(goodChapter) + nest(`<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>`, `</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>`, 10_000)))})
			},
			want: document.ErrLimit, either: true, check: wantText(goodChapter)},
	}
	runCases(t, p, cases)
}

func maxBlocks(n int) func(*testing.T, *document.Output) {
	return func(t *testing.T, out *document.Output) {
		t.Helper()
		if len(out.Content) > n {
			t.Errorf("%d blocks, want at most %d", len(out.Content), n)
		}
	}
}

func maxTOC(n int) func(*testing.T, *document.Output) {
	return func(t *testing.T, out *document.Output) {
		t.Helper()
		if len(out.Metadata.TOC) > n {
			t.Errorf("%d TOC entries, want at most %d", len(out.Metadata.TOC), n)
		}
	}
}

// textOrWarning returns a check that the text holds sub or, failing that,
// a warning mentions about.
func textOrWarning(sub, about string) func(*testing.T, *document.Output) {
	return func(t *testing.T, out *document.Output) {
		t.Helper()
		if strings.Contains(text(out), sub) {
			return
		}
		for _, w := range out.Warnings {
			if strings.Contains(strings.ToLower(w.Reason), about) {
				return
			}
		}
		t.Errorf("%q was lost and no warning mentions %q: %v", sub, about, out.Warnings)
	}
}

func wantWarning(sub string) func(*testing.T, *document.Output) {
	return func(t *testing.T, out *document.Output) {
		t.Helper()
		for _, w := range out.Warnings {
			if strings.Contains(w.Location+" "+w.Reason, sub) {
				return
			}
		}
		t.Errorf("no warning names %q: %v", sub, out.Warnings)
	}
}

// errAny stands for "an error, whatever its sentinel" (a folder, a missing
// file: no document sentinel fits).
var errAny = errors.New("any error")

const helvetica = `<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>`

// onePage is a one-page PDF saying what; pages is the Pages dictionary's
// extra entries and box the MediaBox.
func onePage(what, pagesExtra, box string) []byte {
	content := "BT /F1 12 Tf 72 720 Td (" + what + ") Tj ET"
	return doctest.PDF(
		`<< /Type /Catalog /Pages 2 0 R >>`,
		`<< /Type /Pages /Kids [3 0 R] /Count 1 `+pagesExtra+` >>`,
		`<< /Type /Page /Parent 2 0 R /MediaBox `+box+` /Resources `+helvetica+` /Contents 4 0 R >>`,
		doctest.PDFStream("", []byte(content)),
	)
}

// zlibZeros is a FlateDecode (zlib) stream of mb megabytes of zero bytes
// (NUL is white space in a content stream: the page is valid and empty).
func zlibZeros(mb int) []byte {
	a := adler32.New()
	meg := make([]byte, 1<<20)
	for range mb {
		a.Write(meg)
	}
	out := append([]byte{0x78, 0xDA}, doctest.DeflatedZeros(mb)...)
	return binary.BigEndian.AppendUint32(out, a.Sum32())
}

// pdfBomb is a one-page PDF whose second content stream inflates to mb
// megabytes of NULs.
func pdfBomb(mb int) []byte {
	return doctest.PDF(`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [3 0 R] /Count 1 >>`,
		`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources `+helvetica+` /Contents [4 0 R 5 0 R] >>`,
		doctest.PDFStream("", []byte("BT /F1 12 Tf 72 720 Td (Before the bomb) Tj ET")), doctest.PDFStream("/Filter /FlateDecode", zlibZeros(mb)))
}

// manyPages is a PDF of n pages sharing one content stream.
func manyPages(n int) []byte {
	kids := make([]string, n)
	objs := []string{`<< /Type /Catalog /Pages 2 0 R >>`, "", doctest.PDFStream("", []byte("BT /F1 12 Tf 72 720 Td (Many pages) Tj ET"))}
	for i := range n {
		kids[i] = fmt.Sprintf("%d 0 R", 4+i)
		objs = append(objs, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources `+helvetica+` /Contents 3 0 R >>`)
	}
	objs[1] = fmt.Sprintf(`<< /Type /Pages /Kids [%s] /Count %d >>`, strings.Join(kids, " "), n)
	return doctest.PDF(objs...)
}

// deepPages is a PDF whose one page sits under depth nested Pages nodes.
func deepPages(depth int) []byte {
	objs := []string{`<< /Type /Catalog /Pages 2 0 R >>`}
	for i := range depth {
		parent := ""
		if i > 0 {
			parent = fmt.Sprintf("/Parent %d 0 R ", 1+i)
		}
		objs = append(objs, fmt.Sprintf(`<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>`, parent, 3+i))
	}
	leaf := len(objs) + 1
	objs = append(objs, fmt.Sprintf(`<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>`, leaf-1, helvetica, leaf+1),
		doctest.PDFStream("", []byte("BT /F1 12 Tf 72 720 Td (Deep page) Tj ET")))
	return doctest.PDF(objs...)
}

// titled is a one-page PDF whose document information names title.
func titled(title string) []byte {
	b := onePage("Titled page", "", "[0 0 612 792]")
	b = b[:bytes.Index(b, []byte("xref\n"))]
	off := len(b)
	b = append(b, "5 0 obj\n<< /Title ("+title+") >>\nendobj\n"...)
	xref := len(b)
	b = append(b, "xref\n0 6\n0000000000 65535 f \n"...)
	offs := []int{}
	for i := 1; i <= 4; i++ {
		offs = append(offs, bytes.Index(b, []byte(fmt.Sprintf("\n%d 0 obj\n", i)))+1)
	}
	for _, o := range append(offs, off) {
		b = append(b, fmt.Sprintf("%010d 00000 n \n", o)...)
	}
	return append(b, fmt.Sprintf("trailer\n<< /Size 6 /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", xref)...)
}

// maxMeta returns a check that no metadata field is longer than n bytes.
func maxMeta(n int) func(*testing.T, *document.Output) {
	return func(t *testing.T, out *document.Output) {
		t.Helper()
		m := out.Metadata
		for k, v := range map[string]string{"title": m.Title, "author": m.Author, "subject": m.Subject, "keywords": m.Keywords, "creator": m.Creator, "producer": m.Producer, "publisher": m.Publisher} {
			if len(v) > n {
				t.Errorf("metadata %s is %d bytes (want at most %d): metadata escapes MaxTextBytes", k, len(v), n)
			}
		}
	}
}

// withOutline is a one-page PDF whose outline is objects 5 onwards.
func withOutline(outline ...string) []byte {
	objs := []string{`<< /Type /Catalog /Pages 2 0 R /Outlines 5 0 R >>`, `<< /Type /Pages /Kids [3 0 R] /Count 1 >>`,
		`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources ` + helvetica + ` /Contents 4 0 R >>`,
		doctest.PDFStream("", []byte("BT /F1 12 Tf 72 720 Td (Outlined page) Tj ET"))}
	return doctest.PDF(append(objs, outline...)...)
}

// TestHostilePDF: truncated and garbage files, page trees that lie or loop,
// huge pages and streams, and encryption. It needs the PDF engine.
func TestHostilePDF(t *testing.T) {
	book, err := os.ReadFile(filepath.Join("..", "..", "examples", "books", "emberfall-codex.pdf"))
	if err != nil {
		t.Skipf("sample book missing: %v", err)
	}
	p := newParser(t)
	// Start the engine outside the measured cases.
	warm := filepath.Join(t.TempDir(), "warm.pdf")
	if err := os.WriteFile(warm, onePage("Warm up", "", "[0 0 612 792]"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := p.File(context.Background(), warm, document.Options{OCR: document.OCROff}); err != nil {
		t.Fatalf("a well-formed one-page PDF: %v", err)
	}
	var cases []hostile
	for i := 1; i <= 10; i++ {
		cut := len(book) * i / 11 // slow: a cut file goes to PDFium, whose first start compiles it
		cases = append(cases, hostile{name: fmt.Sprintf("emberfall cut at %d of %d bytes", cut, len(book)), file: "cut.pdf", lim: tight(), slow: true,
			data: fixed(book[:cut]), want: document.ErrMalformed, alsoOK: []error{document.ErrNoText}, either: true,
			words: []string{"PDF", "pages", "text"}})
	}
	cases = append(cases,
		hostile{name: "well-formed control", file: "ok.pdf", lim: tight(), data: fixed(onePage("Hostile control page", "", "[0 0 612 792]")), check: wantText("Hostile control page")},
		hostile{name: "%PDF- then 64KB of garbage", slow: true, // starts PDFium, whose first start compiles it
			file: "garbage.pdf", lim: tight(),
			data: func(testing.TB) []byte { return append([]byte("%PDF-1.7\n"), letters(64<<10, 21)...) },
			want: document.ErrMalformed, alsoOK: []error{document.ErrNoText}, words: []string{"PDF", "readable", "text"}},
		hostile{name: "%PDF- alone", file: "stub.pdf", lim: tight(), data: bytesOf("%PDF-"),
			want: document.ErrMalformed, words: []string{"PDF", "readable"}},
		hostile{name: "page tree whose Kids hold the Pages node itself", file: "cycle.pdf", lim: tight(),
			data: fixed(doctest.PDF(`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>`,
				`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources `+helvetica+` /Contents 4 0 R >>`, doctest.PDFStream("", []byte("BT /F1 12 Tf 72 720 Td (Cycle page) Tj ET")))),
			want: document.ErrMalformed, alsoOK: []error{document.ErrNoText}, either: true},
		hostile{name: "page tree cycle through two Pages nodes", file: "cycle.pdf", lim: tight(),
			data: fixed(doctest.PDF(`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [3 0 R] /Count 5 >>`, `<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 4 0 R] /Count 4 >>`,
				`<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Resources `+helvetica+` /Contents 5 0 R >>`, doctest.PDFStream("", []byte("BT /F1 12 Tf 72 720 Td (Cycle page) Tj ET")))),
			want: document.ErrMalformed, alsoOK: []error{document.ErrNoText}, either: true},
		hostile{name: "Count claims 10 million pages", file: "count.pdf", lim: defaults(),
			data: func(testing.TB) []byte {
				return bytes.Replace(onePage("Only page", "", "[0 0 612 792]"), []byte("/Count 1"), []byte("/Count 10000000"), 1)
			},
			want: document.ErrLimit, either: true, words: []string{"pages"}, check: wantText("Only page")},
		hostile{name: "Count claims 10 million pages, MaxPages 20 million", file: "count.pdf",
			lim: with(defaults(), func(l *document.Limits) { l.MaxPages = 20_000_000 }),
			data: func(testing.TB) []byte {
				return bytes.Replace(onePage("Only page", "", "[0 0 612 792]"), []byte("/Count 1"), []byte("/Count 10000000"), 1)
			},
			want: document.ErrLimit, alsoOK: []error{document.ErrNoText, document.ErrMalformed}, either: true, check: wantText("Only page")},
		hostile{name: "MediaBox 14400pt square, OCR on, MaxRenderPixels 4M", slow: true, file: "huge.pdf", lim: tight(), ocr: document.OCROn,
			data: fixed(onePage("Huge page", "", "[0 0 14400 14400]")),
			want: document.ErrNoText, alsoOK: []error{document.ErrLimit}, either: true},
		hostile{name: "MediaBox 1e9pt square, OCR on", file: "huge.pdf", lim: tight(), ocr: document.OCROn,
			data: fixed(onePage("Huge page", "", "[0 0 1000000000 1000000000]")),
			want: document.ErrNoText, alsoOK: []error{document.ErrLimit, document.ErrMalformed}, either: true},
		hostile{name: "MediaBox 14400pt square, OCR on, default limits", slow: true, file: "huge.pdf", lim: defaults(), ocr: document.OCROn,
			data: fixed(onePage("Huge page", "", "[0 0 14400 14400]")),
			want: document.ErrNoText, alsoOK: []error{document.ErrLimit}, either: true, heap: 400 << 20},
		hostile{name: "content stream of 8MB of NULs", slow: true, file: "nuls.pdf", lim: tight(), data: func(testing.TB) []byte { return pdfBomb(8) },
			check: wantText("Before the bomb")},
		hostile{name: "content stream of 1GB of NULs (FlateDecode bomb)", slow: true, file: "bomb.pdf", lim: tight(), data: func(testing.TB) []byte { return pdfBomb(1024) },
			want: document.ErrLimit, alsoOK: []error{document.ErrMalformed, document.ErrTimeout}, either: true, check: wantText("Before the bomb")},
		hostile{name: "6000 pages, default limits (MaxPages 5000)", file: "pages.pdf", lim: defaults(), data: func(testing.TB) []byte { return manyPages(6000) },
			want: document.ErrLimit, words: []string{"pages"}},
		hostile{name: "101 pages vs MaxPages 100", file: "pages.pdf", lim: tight(), data: func(testing.TB) []byte { return manyPages(101) },
			want: document.ErrLimit, words: []string{"pages"}},
		hostile{name: "page tree 20000 Pages nodes deep", file: "deep.pdf", lim: tight(), data: func(testing.TB) []byte { return deepPages(20_000) },
			want: document.ErrMalformed, alsoOK: []error{document.ErrNoText, document.ErrLimit}, either: true},
		hostile{name: "outline whose Next and First loop back", file: "outline.pdf", lim: tight(),
			data: func(testing.TB) []byte {
				return withOutline(`<< /Type /Outlines /First 6 0 R /Last 7 0 R /Count 2 >>`,
					`<< /Title (One) /Parent 5 0 R /Next 7 0 R /First 5 0 R /Dest [3 0 R /Fit] >>`,
					`<< /Title (Two) /Parent 5 0 R /Next 6 0 R /Prev 6 0 R /First 6 0 R /Dest [3 0 R /Fit] >>`)
			},
			check: all(wantText("Outlined page"), maxTOC(100))},
		hostile{name: "outline of 100000 entries vs MaxOutlineEntries 100", slow: true, file: "outline.pdf", lim: tight(),
			data: func(testing.TB) []byte {
				items := []string{`<< /Type /Outlines /First 6 0 R /Count 100000 >>`}
				for i := range 100_000 {
					next := ""
					if i < 99_999 {
						next = fmt.Sprintf("/Next %d 0 R", 7+i)
					}
					items = append(items, fmt.Sprintf(`<< /Title (Entry %d) /Parent 5 0 R %s /Dest [3 0 R /Fit] >>`, i, next))
				}
				return withOutline(items...)
			},
			check: all(wantText("Outlined page"), maxTOC(100))},
		hostile{name: "arrays nested 100000 deep in the page dictionary", file: "nested.pdf", lim: tight(),
			data: func(testing.TB) []byte {
				return bytes.Replace(onePage("Nested arrays", "", "[0 0 612 792]"), []byte("/MediaBox"), []byte("/Junk "+nest("[", "]", 100_000)+" /MediaBox"), 1)
			},
			want: document.ErrMalformed, alsoOK: []error{document.ErrNoText}, either: true},
		hostile{name: "40000x40000 image of a 200MB FlateDecode bomb, OCR auto", slow: true, file: "image.pdf", lim: tight(), ocr: document.OCRAuto,
			data: func(testing.TB) []byte {
				return doctest.PDF(`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [3 0 R] /Count 1 >>`,
					`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>`,
					doctest.PDFStream("", []byte("q 612 0 0 792 0 0 cm /Im1 Do Q")),
					doctest.PDFStream("/Type /XObject /Subtype /Image /Width 40000 /Height 40000 /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode", zlibZeros(191)))
			},
			want: document.ErrNoText, alsoOK: []error{document.ErrLimit, document.ErrMalformed}, either: true},
		hostile{name: "small title in the document information (control)", file: "title.pdf", lim: tight(), data: func(testing.TB) []byte { return titled("A Short Title") },
			check: all(wantText("Titled page"), func(t *testing.T, out *document.Output) {
				if out.Metadata.Title != "A Short Title" {
					t.Errorf("title %q", out.Metadata.Title)
				}
			})},
		hostile{name: "10MB title in the document information", slow: true, file: "title.pdf", lim: tight(), data: func(testing.TB) []byte { return titled(string(letters(10<<20, 41))) },
			check: all(wantText("Titled page"), maxMeta(64<<10)), heap: 400 << 20},
		hostile{name: "PDF named .txt is read as a PDF", file: "notes.txt", lim: tight(), data: fixed(onePage("Sniffed as PDF", "", "[0 0 612 792]")),
			check: all(wantText("Sniffed as PDF"), func(t *testing.T, out *document.Output) {
				if out.Format != document.PDF {
					t.Errorf("format %q", out.Format)
				}
			})},
	)
	if dir := os.Getenv("CORPORA_TEST_CORPUS"); dir != "" {
		enc := filepath.Join(dir, "pdf", "pypdf__r4-aes-user-password.pdf")
		cases = append(cases, hostile{name: "encrypted, no password", file: "enc.pdf", lim: tight(),
			data: func(t testing.TB) []byte {
				b, err := os.ReadFile(enc)
				if err != nil {
					t.Skip(err)
				}
				return b
			},
			want: document.ErrEncrypted, words: []string{"password", "encrypted"}})
	} else {
		t.Log("CORPORA_TEST_CORPUS not set: the encrypted-PDF case is skipped")
	}
	runCases(t, p, cases)
}

// ---- text, Markdown, HTML and sniffing ----

// TestHostileText: huge lines, NULs, unmarked UTF-16, deep HTML and
// Markdown, and files that are something else than their name says.
func TestHostileText(t *testing.T) {
	p := newParser(t)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
	jpeg := []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	zipFile := doctest.ZipOf(doctest.Entry{Name: "a.txt", Data: []byte("hello")})
	gz := []byte("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03")
	oneLine := func(n int) func(testing.TB) []byte { return func(testing.TB) []byte { return letters(n, 31) } }
	var cases []hostile
	for _, ext := range []string{".pdf", ".txt", ".md", ".html", ".epub", ".docx"} {
		cases = append(cases,
			hostile{name: "PNG named " + ext, file: "image" + ext, lim: tight(), data: fixed(png), want: document.ErrUnsupported, words: []string{"PNG image"}},
			hostile{name: "JPEG named " + ext, file: "photo" + ext, lim: tight(), data: fixed(jpeg), want: document.ErrUnsupported, words: []string{"JPEG image"}},
			hostile{name: "gzip named " + ext, file: "archive" + ext, lim: tight(), data: fixed(gz), want: document.ErrUnsupported, words: []string{"gzip"}},
		)
	}
	for _, ext := range []string{".pdf", ".txt", ".md", ".html"} {
		cases = append(cases, hostile{name: "plain zip named " + ext, file: "archive" + ext, lim: tight(), data: fixed(zipFile), want: document.ErrUnsupported, words: []string{"zip archive"}})
	}
	cases = append(cases,
		hostile{name: "empty .pdf", file: "empty.pdf", lim: tight(), data: bytesOf(""), want: document.ErrUnsupported, alsoOK: []error{document.ErrMalformed}, words: []string{"empty", "not a PDF"}},
		hostile{name: "empty .txt", file: "empty.txt", lim: tight(), data: bytesOf(""), want: document.ErrNoText, either: true},
		hostile{name: "200MB on one line vs MaxFileBytes 16MB (sparse)", file: "line.txt", lim: with(tight(), func(l *document.Limits) { l.MaxFileBytes = 16 << 20 }),
			setup: func(t *testing.T, path string) func() {
				if err := os.WriteFile(path, letters(1<<20, 1), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Truncate(path, 200<<20); err != nil {
					t.Fatal(err)
				}
				return nil
			},
			want: document.ErrLimit, words: []string{"bytes"}, heap: 8 << 20},
		hostile{name: "8MB on one line, default limits", slow: true, file: "line.txt", lim: defaults(), data: oneLine(8 << 20)},
		hostile{name: "8MB of one word, no space, default limits", file: "word.txt", lim: defaults(), data: func(testing.TB) []byte { return bytes.Repeat([]byte("a"), 8<<20) }},
		hostile{name: "8MB on one line vs MaxTextBytes 1MB", file: "line.txt", lim: with(tight(), func(l *document.Limits) { l.MaxTextBytes = 1 << 20 }),
			data: oneLine(8 << 20), want: document.ErrLimit, either: true, check: maxText(1 << 20)},
		hostile{name: "NUL bytes in the first kilobyte", file: "nul.txt", lim: tight(),
			data: bytesOf("Chapter one\x00 of the\x00 Ashen Road.\n\nMore text here."), want: document.ErrUnsupported, either: true, words: []string{"binary"}},
		hostile{name: "NUL bytes after the sniffed head", file: "nul.txt", lim: tight(),
			data: func(testing.TB) []byte {
				return []byte(strings.Repeat("Plain words of the Ashen Road. ", 200) + "\n\nA NUL\x00 here and\x00\x00 there.\n")
			},
			check: wantText("Ashen Road")},
		hostile{name: "UTF-16LE without BOM", file: "utf16.txt", lim: tight(), data: fixed(utf16le("The Ashen Road runs north.\r\n\r\nSecond paragraph.\r\n", false)),
			want: document.ErrUnsupported, either: true, words: []string{"UTF-16"}, check: wantText("The Ashen Road runs north.")},
		hostile{name: "UTF-16LE with BOM", file: "utf16.txt", lim: tight(), data: fixed(utf16le("The Ashen Road runs north.\r\n", true)), check: wantText("The Ashen Road runs north.")},
		hostile{name: "UTF-16BE with BOM, .md", file: "utf16.md", lim: tight(), data: fixed(utf16be("# Title\n\nThe Ashen Road runs north.\n")), check: wantText("The Ashen Road runs north.")},
		hostile{name: "HTML with 1e6 nested divs", slow: true, file: "deep.html", lim: tight(),
			data: func(testing.TB) []byte {
				return []byte("<html><body>" + nest("<div>", "</div>", 1_000_000) + "<p>" + goodChapter + "</p></body></html>")
			},
			check: wantText(goodChapter)},
		hostile{name: "HTML with 1e6 unclosed divs", slow: true, file: "deep.html", lim: tight(),
			data: func(testing.TB) []byte {
				return []byte("<html><body>" + strings.Repeat("<div>x", 1_000_000) + "<p>" + goodChapter + "</p>")
			},
			check: wantText(goodChapter), heap: 400 << 20},
		hostile{name: "HTML with 300000 nested tables", slow: true, file: "tables.html", lim: tight(),
			data: func(testing.TB) []byte {
				return []byte("<html><body><p>" + goodChapter + "</p>" + nest("<table><tr><td>", "</td></tr></table>", 300_000) + "</body></html>")
			},
			check: wantText(goodChapter)},
		hostile{name: "HTML with 1e6 nested skipped elements", slow: true, file: "nav.html", lim: tight(),
			data: func(testing.TB) []byte {
				return []byte("<html><body><p>" + goodChapter + "</p>" + nest("<nav>", "</nav>", 1_000_000) + "<p>After.</p></body></html>")
			},
			check: wantText(goodChapter)},
		hostile{name: "HTML tag with 1e6 attributes", slow: true, file: "attrs.html", lim: tight(),
			data: func(testing.TB) []byte {
				var b strings.Builder
				b.WriteString("<html><body><p")
				for i := range 1_000_000 {
					fmt.Fprintf(&b, " a%d=x", i)
				}
				b.WriteString(">" + goodChapter + "</p></body></html>")
				return []byte(b.String())
			},
			check: wantText(goodChapter), heap: 400 << 20},
		hostile{name: "HTML title of 20MB", slow: true, file: "title.html", lim: tight(),
			data: func(testing.TB) []byte {
				return []byte("<html><head><title>" + string(letters(20<<20, 51)) + "</title></head><body><p>" + goodChapter + "</p></body></html>")
			},
			check: all(wantText(goodChapter), maxMeta(64<<10))},
		hostile{name: "XHTML with billion laughs and an external entity", file: "lol.xhtml", lim: tight(),
			data:  bytesOf(`<?xml version="1.0"?>` + billionLaughs + `<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p><p>` + goodChapter + `</p></body></html>`),
			check: all(wantText(goodChapter), noText("lollollol"))},
		hostile{name: "Markdown: 300000 '>' on one line", file: "quote.md", lim: tight(),
			data: func(testing.TB) []byte { return []byte(strings.Repeat(">", 300_000) + " " + goodChapter + "\n") }, check: wantText(goodChapter)},
		hostile{name: "Markdown: 20000 '>' on one line", file: "quote.md", lim: tight(),
			data: func(testing.TB) []byte { return []byte(strings.Repeat(">", 20_000) + " " + goodChapter + "\n") }, check: wantText(goodChapter)},
		hostile{name: "Markdown: list nested 100000 deep", slow: true, file: "list.md", lim: tight(),
			data: func(testing.TB) []byte {
				var b strings.Builder
				for i := range 100_000 {
					b.WriteString(strings.Repeat(" ", i%400) + "- item\n")
				}
				b.WriteString("\n" + goodChapter + "\n")
				return []byte(b.String())
			},
			check: wantText(goodChapter)},
		hostile{name: "Markdown: 1MB of brackets and emphasis", slow: true, file: "marks.md", lim: tight(),
			data: func(testing.TB) []byte {
				return []byte(goodChapter + "\n\n" + strings.Repeat("[a](*_`<b ", 100_000) + "\n")
			},
			check: wantText(goodChapter)},
		hostile{name: "Markdown: unclosed fence over 4MB", file: "fence.md", lim: tight(),
			data: func(testing.TB) []byte {
				return []byte(goodChapter + "\n\n```\n" + strings.Repeat("code line\n", 400_000))
			},
			check: wantText(goodChapter)},
	)
	runCases(t, p, cases)
}

// ---- the dispatcher ----

// TestHostileFiles: what is not a regular, readable document file.
func TestHostileFiles(t *testing.T) {
	p := newParser(t)
	cases := []hostile{
		{name: "a folder", file: "folder.pdf", lim: tight(),
			setup: func(t *testing.T, path string) func() {
				if err := os.Mkdir(path, 0o755); err != nil {
					t.Fatal(err)
				}
				return nil
			},
			want: errAny, words: []string{"folder", "directory"}},
		{name: "a file that is gone", file: "gone.epub", lim: tight(),
			setup: func(t *testing.T, path string) func() {
				os.WriteFile(path, []byte("x"), 0o644)
				os.Remove(path)
				return nil
			},
			want: errAny, words: []string{"no such file", "not exist", "not found"}},
		{name: "a dangling symlink", file: "link.docx", lim: tight(),
			setup: func(t *testing.T, path string) func() {
				if err := os.Symlink(filepath.Join(filepath.Dir(path), "nowhere.docx"), path); err != nil {
					t.Skip(err)
				}
				return nil
			},
			want: errAny, words: []string{"no such file", "not exist", "not found"}},
		{name: "3GB sparse file, default limits", file: "big.pdf", lim: defaults(),
			setup: func(t *testing.T, path string) func() {
				if err := os.WriteFile(path, []byte("%PDF-1.7\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Truncate(path, 3<<30); err != nil {
					t.Skip(err)
				}
				return nil
			},
			want: document.ErrLimit, words: []string{"bytes", "limit"}, heap: 8 << 20},
		{name: "10MB sparse file vs MaxFileBytes 1MB", file: "big.txt", lim: with(tight(), func(l *document.Limits) { l.MaxFileBytes = 1 << 20 }),
			setup: func(t *testing.T, path string) func() {
				if err := os.Truncate(path, 0); err != nil && !errors.Is(err, os.ErrNotExist) {
					t.Fatal(err)
				}
				f, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				f.Close()
				if err := os.Truncate(path, 10<<20); err != nil {
					t.Skip(err)
				}
				return nil
			},
			want: document.ErrLimit, words: []string{"bytes", "limit"}, heap: 8 << 20},
		{name: "permission denied", file: "locked.txt", lim: tight(),
			setup: func(t *testing.T, path string) func() {
				if os.Geteuid() == 0 {
					t.Skip("running as root: permissions are not enforced")
				}
				if err := os.WriteFile(path, []byte("secret"), 0o000); err != nil {
					t.Fatal(err)
				}
				return nil
			},
			want: errAny, words: []string{"permission"}},
		{name: "/dev/zero (a device, endless) vs MaxFileBytes 8MB", file: "zero.txt", lim: with(tight(), func(l *document.Limits) { l.MaxFileBytes = 8 << 20 }),
			setup: func(t *testing.T, path string) func() {
				if err := os.Symlink("/dev/zero", path); err != nil {
					t.Skip(err)
				}
				return nil
			},
			want: document.ErrLimit, alsoOK: []error{document.ErrUnsupported}, words: []string{"bytes", "regular", "device"}},
		{name: "/dev/zero (a device, endless), default limits", file: "zero.txt", lim: defaults(),
			setup: func(t *testing.T, path string) func() {
				if err := os.Symlink("/dev/zero", path); err != nil {
					t.Skip(err)
				}
				return nil
			},
			want: document.ErrUnsupported, alsoOK: []error{document.ErrLimit, errAny}, words: []string{"regular", "device", "not a file"}},
	}
	runCases(t, p, cases)
}

// TestHostileFIFO: a named pipe nobody writes to must be refused at once,
// not block the parse (os.Open of a FIFO waits for a writer).
func TestHostileFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe.txt")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	p := newParser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := p.File(ctx, path, document.Options{Limits: tight()})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a FIFO parsed as a document")
		}
		checkError(t, path, err, errAny, nil, []string{"regular", "pipe", "FIFO", "not a file", "device"})
	case <-time.After(5 * time.Second):
		// Unblock the open so the goroutine ends: a writer that closes at once.
		if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		<-done
		t.Error("parsing a FIFO blocked for 5 s (os.Open waits for a writer): check the file mode with os.Stat before opening")
	}
}

// fuzzExts are the names FuzzParseAny gives its inputs: the extension
// steers sniffing between the text formats and names what the file claims.
var fuzzExts = []string{".pdf", ".epub", ".docx", ".txt", ".md", ".html"}

// FuzzParseAny feeds arbitrary bytes, under each extension, through the
// dispatcher with tight limits. Errors must be one line naming the input and
// wrap a document sentinel (or the CLI cannot map them to an exit code); no
// panic may be recovered by the dispatcher (its "parser failed on this
// input" message is a parser bug); outputs must be valid UTF-8 without NULs.
//
//	go test -run x -fuzz FuzzParseAny -fuzztime 60s -parallel 1 ./internal/parse/
func FuzzParseAny(f *testing.F) {
	f.Add(uint8(0), onePage("Fuzz seed page", "", "[0 0 612 792]"))
	f.Add(uint8(1), bookWith(doctest.XHTML("<h1>Seed</h1><p>Seed chapter.</p>")))
	f.Add(uint8(2), docxWith(doctest.WordDocument(doctest.WordPara("Seed paragraph.")+`<w:tbl><w:tr><w:tc>`+doctest.WordPara("cell")+`</w:tc></w:tr></w:tbl>`)))
	f.Add(uint8(3), []byte("Plain text of the Ashen Road.\r\n\r\nSecond para-\ngraph.\f\n"))
	f.Add(uint8(4), []byte("# Title\n\n> quote *em* [link](x) ![img](y)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n"))
	f.Add(uint8(5), []byte("<html><head><title>T</title></head><body><h1>T</h1><p>para<br>two</p><table><tr><td>a</td></tr></table><nav>x</nav></body></html>"))
	f.Add(uint8(3), utf16le("UTF-16 text", true))
	for i, name := range []string{"emberfall-codex.pdf", "tidewrought-almanac.epub", "thornwick-bestiary.docx", "", "glasswind-wayfarers-guide.md"} {
		if name == "" {
			continue
		}
		if b, err := os.ReadFile(filepath.Join("..", "..", "examples", "books", name)); err == nil {
			f.Add(uint8(i), b)
		}
	}
	p := newParser(f)
	lim := tight()
	lim.Timeout = 10 * time.Second
	lim.PerPageTimeout = 5 * time.Second
	lim.MaxDecompressed = 8 << 20
	lim.MaxEntryBytes = 4 << 20
	lim.MaxTextBytes = 1 << 20
	lim.MaxPages = 20
	lim.MaxRenderPixels = 1_000_000
	sentinels := []error{document.ErrUnsupported, document.ErrEncrypted, document.ErrMalformed, document.ErrLimit, document.ErrTimeout, document.ErrNoText}
	f.Fuzz(func(t *testing.T, ext uint8, data []byte) {
		name := "fuzz" + fuzzExts[int(ext)%len(fuzzExts)]
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		type result struct {
			out *document.Output
			err error
		}
		done := make(chan result, 1)
		go func() {
			out, err := p.Parse(ctx, document.Input{Name: name, Data: data}, document.Options{OCR: document.OCROff, Limits: lim})
			done <- result{out, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(30 * time.Second):
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("HANG: no answer 15 s after the deadline; goroutines:\n%s", buf)
		}
		out, err := r.out, r.err
		if err != nil {
			checkError(t, name, err, errAny, nil, nil)
			known := false
			for _, s := range sentinels {
				known = known || errors.Is(err, s)
			}
			if !known {
				t.Errorf("error wraps no document sentinel (the CLI cannot give it exit 65): %q", err)
			}
			return
		}
		checkOutput(t, name, out)
	})
}

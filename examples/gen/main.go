package main

//go:generate go run . -dir ..

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"hash/crc32"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// fixedTime stamps every generated file, so re-runs are byte-identical.
var fixedTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// bookMeta describes one generated book.
type bookMeta struct {
	src      string // source under src/
	out      string // output file name
	format   string // pdf, epub, docx, md, scan
	author   string
	subject  string
	keywords string
	id       string // EPUB identifier
}

const author = "Corpora Sample Books"

// books lists every generated file, in generation order.
var books = []bookMeta{
	{src: "emberfall-codex.md", out: "emberfall-codex.pdf", format: "pdf", author: author,
		subject: "Cinder magic, ash-country creatures and treasures", keywords: "fantasy, spells, creatures, magic items"},
	{src: "tidewrought-almanac.md", out: "tidewrought-almanac.epub", format: "epub", author: author,
		subject: "Tide magic and sea creatures of the Sundered Isles", id: "urn:uuid:6f1b2c0e-5d1a-4c43-9a43-7b1d2e0c7a11"},
	{src: "thornwick-bestiary.md", out: "thornwick-bestiary.docx", format: "docx", author: author,
		subject: "Creatures of the Thornwick Forest"},
	{src: "glasswind-wayfarers-guide.md", out: "glasswind-wayfarers-guide.md", format: "md"},
	{src: "hollowmere-fragment.txt", out: "hollowmere-fragment.pdf", format: "scan", author: author,
		subject: "A scanned page (image only, no text layer)"},
}

func main() {
	dir := flag.String("dir", "examples", "the examples folder: holds src/, receives books/ and expected/")
	out := flag.String("out", "", "write the books here instead of -dir (for comparisons)")
	flag.Parse()
	if *out == "" {
		*out = *dir
	}
	if err := generate(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// generate reads the sources under srcDir/src and writes every book and its
// expected/ ground-truth files under outDir.
func generate(srcDir, outDir string) error {
	files, err := build(srcDir)
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path := filepath.Join(outDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}

// build returns every generated file by its slash path relative to the
// sample books folder. Hand-written ground truth (expected/*.terms.txt,
// expected/*.ip.txt) is not generated.
func build(srcDir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, m := range books {
		src, err := os.ReadFile(filepath.Join(srcDir, "src", m.src))
		if err != nil {
			return nil, err
		}
		switch m.format {
		case "md":
			out["books/"+m.out] = src
		case "scan":
			pdf, text, err := renderScan(string(src), m)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.src, err)
			}
			out["books/"+m.out] = pdf
			out["expected/"+m.out+".txt"] = []byte(text)
			continue
		}
		bk, err := parseMarkdown(string(src))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.src, err)
		}
		out["expected/"+m.out+".txt"] = []byte(readingText(bk))
		var data []byte
		switch m.format {
		case "md":
			continue
		case "pdf":
			var hy []string
			data, hy, err = renderPDF(bk, m)
			if err == nil {
				out["expected/"+m.out+".hyphenated.txt"] = []byte(strings.Join(hy, "\n") + "\n")
			}
		case "epub":
			data, err = renderEPUB(bk, m)
		case "docx":
			data, err = renderDOCX(bk, m)
		default:
			err = fmt.Errorf("unknown format %q", m.format)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.src, err)
		}
		out["books/"+m.out] = data
	}
	return out, nil
}

// zipEntry is one file of a zip container.
type zipEntry struct {
	name   string
	data   []byte
	stored bool // no compression (the EPUB mimetype)
}

// dosDate and dosTime encode fixedTime the way zip headers store it.
const (
	dosDate = (2026-1980)<<9 | 1<<5 | 1
	dosTime = 0
)

// writeZip writes entries in the given order with fixed times and no extra
// fields, so the container is byte-identical on every run. The stored
// entries are written raw so that no data descriptor follows them (an EPUB
// reader finds "mimetype" at offset 38).
func writeZip(entries []zipEntry) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		//lint:ignore SA1019 the legacy fields avoid the extended-timestamp extra field that Modified adds
		fh.ModifiedDate, fh.ModifiedTime = dosDate, dosTime
		if e.stored {
			fh.Method = zip.Store
			fh.CRC32 = crc32.ChecksumIEEE(e.data)
			fh.CompressedSize64 = uint64(len(e.data))
			fh.UncompressedSize64 = uint64(len(e.data))
			w, err := zw.CreateRaw(fh)
			if err != nil {
				return nil, err
			}
			if _, err := w.Write(e.data); err != nil {
				return nil, err
			}
			continue
		}
		w, err := zw.CreateHeader(fh)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

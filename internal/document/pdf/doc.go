// Package pdf reads PDF documents in-process, with a pure-Go fast path for
// born-digital files and PDFium compiled to WebAssembly (package pdfium, on
// wazero: no cgo, no system library) for everything else, and rebuilds the
// reading order a person would follow.
//
// Fast path (fast.go, packages cos and content). The file is opened in Go
// (cos), each page's content stream is interpreted (content) into the same
// characters and loose boxes PDFium's text page gives, and the shared
// layout below orders them; pages are read in parallel. PDFium takes over
// what the fast path cannot read exactly: the whole document when it is
// encrypted, damaged (a rebuilt cross-reference table) or unreadable; one
// page when it is rotated, holds rotated or right-to-left text, uses a font
// the fast path does not map (vertical CJK, unmapped glyphs), exceeds a
// limit (a 16 MiB decoded content stream, an operator budget), or may need
// OCR. PDFium then starts only for those pages and must count the same
// pages, or it reads the whole document. A born-digital book is read about
// 15 times faster than through PDFium (scripts/bench-pdf.sh), and faster
// than poppler's pdftotext. Config.NoFastPath (CORPORA_PDF_ENGINE=pdfium,
// read by the caller through Config.WithEnv) turns the fast path off;
// Config.Logf (CORPORA_PDF_DEBUG=1) receives each page it hands to PDFium
// and why.
//
// Engine (package pdfium). The wazero runtime starts on the first page that
// needs it, each worker owns one PDFium instance, and a document's pages are
// shared out among the free instances; see the pdfium package for the
// memory cap, the compilation cache and the deadlines. Parse returns at its
// deadline whatever the engine is doing: instances still in a guest call
// are lent out (Engine.Lend) until they return.
//
// Layout (package layout, then assemble.go and structure.go). Package
// layout orders one page's characters into blocks of lines (pure geometry).
// Across the document, lines in the
// page margins that repeat (numbers wildcarded) and bare page numbers are
// dropped, lines in larger type become headings, line-end hyphenation is
// joined (textnorm.JoinLines, keeping hyphens the document writes
// elsewhere), and everything is normalised with textnorm.
//
// OCR. In auto mode a page is sent to Tesseract (package ocr) when it is
// covered by an image and has little text, or its text is mostly unmapped
// glyphs. A scan whose page is one full-page image (scan.go) is not
// rendered: the fast path decodes the image itself (JPEG, Flate/LZW with
// predictors, CCITT G3/G4; scan_decode.go), applies its placement (CTM
// rotation and flips, crop box, /Rotate, /Decode, stencil masks), converts
// it to 8-bit gray at its own resolution (resampled to 300 dpi when far
// from it) and hands Tesseract the pixels as PGM on stdin; PDFium does not
// start for such a document. Other pages (JBIG2, JPEG 2000, masks, several
// images) are rendered by PDFium straight to gray at 300 dpi, less for a
// page beyond the pixel bound. All pages of all documents share one pool
// of Tesseract processes (ocr.Shared: one per core), recognised while
// extraction goes on.
//
// Encryption. The empty password is tried first, then the caller's password
// prepared as PDF 2.0 asks (SASLprep), then as typed.
//
// Damage. PDFium rebuilds broken cross-reference tables itself; when it
// still refuses a file (cut short, page tree lost), salvage appends a page
// tree built from the page objects found by scanning.
package pdf

// Command gen builds the bundled sample books in examples/books from their
// Markdown sources in examples/src, reproducibly: the same sources give
// byte-identical files (fixed timestamps, fixed zip entry order and times,
// no randomness).
//
// Usage, from the module root:
//
//	go run ./examples/gen [-dir examples] [-out DIR]
//
// or go generate ./examples/gen. The tests in this package rebuild
// everything and fail when a committed book differs from a fresh build, read
// the two-column PDF back with pdftotext and OCR the scanned page with
// Tesseract (each skipped when the tool is missing). See ../README.md.
package main

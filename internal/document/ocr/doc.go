// Package ocr recognises the text of rendered page images with the Tesseract
// command-line tool. It is the fallback for PDF pages whose text layer is
// missing or garbage; the PDF parser renders the page and decides when.
//
// Tesseract runs with OMP_THREAD_LIMIT=1 so that pages can be recognised in
// parallel (one process per page) without oversubscribing the cores, and
// with a page segmentation mode that finds columns and keeps them apart.
package ocr

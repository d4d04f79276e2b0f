// Package parse picks the parser for a document by content sniffing and runs
// it under the document's time and memory bounds, turning panics and
// overruns into one-line errors that name the file ("<path>: <reason>").
//
// A Parser holds the format parsers for a whole run, the PDF engine among
// them (one PDFium instance per worker, started on the first PDF), so
// callers create one with New, share it between goroutines and Close it at
// the end.
package parse

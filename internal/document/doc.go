// Package document holds the DocumentOutput model that every parser produces,
// the Parser interface the format packages implement, the limits every parse
// runs under, the errors callers must tell apart, and content sniffing.
//
// The format packages (pdf, epub, docx, text) import this package; the
// dispatcher that picks one of them for a file lives in internal/parse.
package document

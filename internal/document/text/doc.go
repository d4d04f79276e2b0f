// Package text parses the text formats: plain text (UTF-8, UTF-16 with a
// byte-order mark, Latin-1 as a fallback), Markdown and HTML. Its HTML
// extractor, ExtractHTML, is also what the EPUB parser reads chapters with.
//
// Every block's text goes through textnorm: paragraphs are joined with
// textnorm.JoinLines (line-end hyphenation) and normalised with
// textnorm.String.
package text

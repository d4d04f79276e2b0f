// Package text parses the text formats: plain text (UTF-8, UTF-16 with a
// byte-order mark, Latin-1 as a fallback), Markdown and HTML. Its HTML
// extractor, ExtractHTML, is also what the EPUB parser reads chapters with.
//
// HTML and Markdown blocks carry the structure their markup gives: heading
// levels, the emphasis that covers a whole paragraph (Style) or opens it as
// a run-in label (Lead), and, from those, the roles MarkRoles finds: a
// short bold line followed by body text is an entry's name, an italic line
// under a name or heading its type line.
//
// Every block's text goes through textnorm: paragraphs are joined with
// textnorm.JoinLines (line-end hyphenation) and normalised with
// textnorm.String.
package text

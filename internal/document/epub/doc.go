// Package epub parses EPUB 2 and EPUB 3 books: the OCF container, the OPF
// package (metadata, manifest, spine) and the navigation document (EPUB 3
// nav, or the EPUB 2 NCX) for chapter titles and the table of contents.
// Chapters are read in spine order with the tolerant HTML extractor of
// package text; each becomes a heading block (its navigation title, when
// known) and one text block.
package epub

// Package epub parses EPUB 2 and EPUB 3 books: the OCF container, the OPF
// package (metadata, manifest, spine) and the navigation document (EPUB 3
// nav, or the EPUB 2 NCX) for chapter titles and the table of contents.
// Chapters are read in spine order with the tolerant HTML extractor of
// package text; each gives one block per heading, paragraph, list item and
// table, whatever the nesting of sections and divs, headed by its
// navigation title when the chapter does not open with a heading of its
// own. The book's CSS files are read for the classes that set bold or
// italic type, so names and type lines are found in books that mark them
// only with classes (Calibre, InDesign).
package epub

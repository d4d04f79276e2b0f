// Package textnorm normalises extracted text so that every parser gives the
// words a reader sees: NFKC (ligatures, full-width and compatibility forms),
// every Unicode space as a plain space, soft hyphens and zero-width characters
// dropped, hyphen and apostrophe variants folded to ASCII, and line-end
// hyphenation joined. It is shared by every format parser.
package textnorm

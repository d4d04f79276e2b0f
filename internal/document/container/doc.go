// Package container opens the zip packages (EPUB, DOCX) and reads the XML
// inside them under the limits of one parse: entry count, bytes decompressed
// per entry and in total (counted while reading, never taken from the
// headers), compression ratio (checked while inflating, against the
// compressed bytes consumed so far), XML nesting depth and token count.
// Archives whose entries share compressed bytes (a non-recursive zip bomb)
// are refused. Nothing here resolves a DTD, an entity or an external
// reference. Field bounds one-line metadata values and titles.
package container

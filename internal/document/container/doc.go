// Package container opens the zip packages (EPUB, DOCX) and reads the XML
// inside them under the limits of one parse: entry count, bytes decompressed
// per entry and in total (counted while reading, never taken from the
// headers), compression ratio, XML nesting depth and token count. Nothing here
// resolves a DTD, an entity or an external reference.
package container

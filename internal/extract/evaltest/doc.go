// Package evaltest evaluates term extraction end to end on the SRD
// documents rendered to PDF, EPUB and DOCX, parsed by internal/parse. It
// holds only tests, kept apart so that extract's own tests do not depend on
// the parsers.
package evaltest

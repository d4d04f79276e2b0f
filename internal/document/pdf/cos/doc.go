// Package cos reads the file layer of PDF: the COS objects (object.go),
// their syntax (lexer.go), and a File built on them: the cross-reference
// table (classic tables, cross-reference streams, hybrid files, /Prev
// chains), object streams, stream filters, the page tree with its
// inherited attributes, the document information dictionary, text strings
// and outlines.
//
// It is the bottom of the pure-Go fast path for born-digital PDFs, so it is
// built to be fast and safe on hostile bytes rather than complete:
//
//   - Open reads only the cross-reference information; objects are parsed
//     on first use by Get and cached, and a File is safe for concurrent use
//     (pages are read in parallel). Objects handed out are shared by every
//     caller and must not be modified; stream bytes are slices of the
//     file's data.
//   - A damaged cross-reference table (a bad startxref, an offset that does
//     not hold its object) is rebuilt once by scanning the file for
//     "num gen obj" headers; Repaired reports it.
//   - Encrypted files are refused with ErrEncrypted, image codecs with
//     ErrUnsupportedFilter: the caller hands those to PDFium.
//   - Every loop over file data is bounded, every decompression is capped by
//     Limits.MaxStreamBytes (ErrLimit), reference chains, nesting and the
//     page tree are bounded and cycles are skipped. Exported functions do not
//     panic.
package cos

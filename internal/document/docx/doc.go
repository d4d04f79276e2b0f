// Package docx parses Word documents (Office Open XML, transitional and
// strict namespaces): the main body (every w:body, since malformed files have
// several), headings, lists, tables, text boxes, content controls and
// hyperlinks, then footnotes and endnotes; core properties as metadata.
//
// What a reader does not see stays out: deleted tracked changes (w:del,
// w:moveFrom), field codes (w:instrText; the field's displayed result is
// kept), and the second copy of a text box that Word stores in
// mc:AlternateContent (only one branch, mc:Choice or mc:Fallback, is read).
//
// An encrypted document is an OLE2 container, not a zip. With a password
// (Options.Password) a package with agile encryption (Word 2010 and later)
// is decrypted in memory and parsed; without one, or with the wrong one, it
// is reported as encrypted (document.ErrEncrypted). Standard (Word 2007)
// encryption is reported as unsupported.
package docx

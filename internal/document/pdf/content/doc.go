// Package content reads the text of a PDF page without rendering it: it
// loads the page's fonts and interprets its content stream, and yields every
// glyph with its Unicode text and a box in default user space, as PDFium's
// text page gives them to the layout in package pdf. It is the fast path's
// core; whatever it cannot read exactly it refuses with an error wrapping
// ErrUnsupported, and the caller hands the page to PDFium.
//
// Fonts (font*.go, encoding*.go, cmap*.go, glyphlist*.go). LoadFont turns a
// font dictionary into an immutable Font that answers, for a string, how it
// splits into character codes (one byte for simple fonts, the CMap's code
// space for Type0), what each code means in Unicode (a ToUnicode CMap first,
// else the encoding and /Differences glyph names through the Adobe Glyph
// List) and how wide it is (/Widths, /W, the standard 14 fonts' metrics, a
// Type 3 FontMatrix), with the ascent and descent the glyph boxes need.
// Fonts whose text would be a guess (vertical writing, registered CJK
// collections without ToUnicode, unknown encodings, missing widths) are
// refused. Every table read from the file is bounded.
//
// Interpreter (interp*.go). Run walks one page's content with the lexer of
// package cos, token by token and without allocating per operator: the
// graphics state stack (q, Q, cm), text objects and text state (BT, ET, Tf,
// Tc, Tw, Tz, TL, Ts, Td, TD, Tm, T*), text showing (Tj, TJ, ', "), form
// XObjects (with their /Matrix and /Resources, nesting bounded and cycles
// skipped) and images (Do and inline BI/ID/EI, measured for
// Page.ImageCover); everything else is skipped. Each glyph's loose box is
// PDFium's (FPDFText_GetLooseCharBox): the rectangle from the origin to the
// advance and from the font's descent to its ascent, through the text
// rendering matrix. Like PDFium's text page, text drawn twice for a bold or
// shadow effect is read once (interp_text.go). Rotated, mirrored or steeply
// slanted text, fonts that fail to load, and pages where more than 5% of
// the glyphs have no Unicode are ErrUnsupported; Limits bound operators
// (long strings and form bytes count too), glyphs and form nesting
// (ErrLimit). A FontCache shares loaded fonts between the pages of a
// document, which may be interpreted in parallel, and records the forms
// without text (backgrounds, borders) so that later pages replay them
// instead of decoding them again (interp_formcache.go).
package content

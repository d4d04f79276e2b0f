package epub

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
	"github.com/corpora-tools/corpora/internal/document/text"
)

// Parser parses EPUB books. The zero value is ready to use.
type Parser struct{}

var _ document.Parser = Parser{}

// Parse implements document.Parser. Each spine position is a chapter
// (Output.Pages counts them); a chapter gives a heading block with its
// navigation title, when the navigation document names it and the chapter
// does not open with a heading of its own, then one block per heading,
// paragraph, list item and table (rows one per line), whatever the nesting
// of sections and divs, each with its chapter number, heading level, type
// style and run-in label, and the entry structure text.MarkRoles finds.
// A book without any text (images only) is not an error: it gives an Output
// with a warning, and the caller decides.
func (Parser) Parse(ctx context.Context, in document.Input, opts document.Options) (*document.Output, error) {
	lim := opts.Limits.WithDefaults()
	a, err := container.OpenZip(in.Data, lim)
	if err != nil {
		return nil, err
	}
	opfName, warns, err := rootfile(ctx, a, lim)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", document.ErrMalformed, err)
	}
	opfData, err := a.ReadFile(opfName)
	if err != nil {
		return nil, err
	}
	p, err := readOPF(ctx, opfData, opfName, lim)
	if err != nil {
		return nil, fmt.Errorf("package document %s: %w", opfName, err)
	}
	out := &document.Output{
		Format:   document.EPUB,
		Metadata: p.meta,
		Warnings: append([]document.Warning{}, warns...),
		Content:  []document.Block{},
	}

	// Spine positions, and which archive name each one reads.
	type chapter struct {
		name string // archive name, "" when the spine item is unusable
		id   string
	}
	chapters := make([]chapter, len(p.spine))
	pos := map[string]int{}    // archive name -> first 1-based chapter reading it
	navPos := map[string]int{} // also the spine items' own names, for the TOC
	for i, id := range p.spine {
		it, ok := p.contentItem(id)
		if !ok {
			if orig, known := p.manifest[id]; known && strings.HasPrefix(orig.mediaType, "image/") {
				continue // an image page (a cover) holds no text; nothing is wrong
			}
			out.Warnings = append(out.Warnings, warn(i+1, id, "spine item has no readable content document (missing from the manifest, or a fallback chain that never reaches one)"))
			continue
		}
		name := resolve(p.dir, it.href)
		chapters[i] = chapter{name: name, id: id}
		if _, seen := pos[name]; !seen {
			pos[name] = i + 1
		}
		// The navigation may point at the spine item itself (an image page)
		// rather than at the document it falls back to.
		if orig, ok := p.manifest[id]; ok && orig.id != it.id {
			if own := resolve(p.dir, orig.href); own != "" {
				if _, seen := navPos[own]; !seen {
					navPos[own] = i + 1
				}
			}
		}
	}
	for name, n := range pos {
		if _, seen := navPos[name]; !seen {
			navPos[name] = n
		}
	}
	if len(p.spine) == 0 {
		out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: "the package has an empty spine"})
	}

	titles, toc, tocWarn := navigation(ctx, a, p, navPos, lim)
	if tocWarn != "" {
		out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: tocWarn})
	}
	if len(toc) > lim.MaxOutlineEntries {
		toc = toc[:lim.MaxOutlineEntries]
	}
	out.Metadata.TOC = toc
	out.Pages = len(p.spine)

	if a.Recovered {
		out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: "damaged zip (no central directory); entries recovered from local headers"})
	}
	drm := encryptedResources(ctx, a, lim)
	classes := styleSheets(a, p, drm)
	encrypted := 0
	var total int64
	for i, ch := range chapters {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := i + 1
		if ch.name == "" || pos[ch.name] != n {
			// Unusable, or a document already read for an earlier position:
			// image pages that all fall back to one XHTML file give its text once.
			continue
		}
		if drm[ch.name] {
			encrypted++
			out.Warnings = append(out.Warnings, warn(n, ch.name, "encrypted (DRM); skipped"))
			continue
		}
		data, err := a.ReadFile(ch.name)
		if err != nil {
			if errors.Is(err, container.ErrNotFound) || errors.Is(err, document.ErrMalformed) {
				out.Warnings = append(out.Warnings, warn(n, ch.name, err.Error()))
				continue
			}
			return nil, err
		}
		if total >= lim.MaxTextBytes {
			return nil, textLimit(lim)
		}
		chLim := lim
		chLim.MaxTextBytes = lim.MaxTextBytes - total
		doc, err := text.ExtractHTMLStyled(ctx, data, chLim, classes)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			out.Warnings = append(out.Warnings, warn(n, ch.name, err.Error()))
			continue
		}
		if len(doc.Items) == 0 {
			continue
		}
		// The navigation title heads the chapter unless the chapter opens
		// with its own heading (which is the title, or a better one).
		if t := chapterTitle(titles, chapters[i].name, p, ch.id); t != "" && doc.Items[0].Type != document.Heading {
			out.Content = append(out.Content, document.Block{Type: document.Heading, Text: t, Chapter: n, Level: 1})
		}
		for _, it := range doc.Items {
			total += int64(len(it.Text))
		}
		out.Content = append(out.Content, text.Blocks(doc.Items, n)...)
		if doc.Truncated {
			return nil, textLimit(lim)
		}
	}
	if len(out.Content) == 0 && encrypted > 0 {
		return nil, fmt.Errorf("%w EPUB: %d chapters are DRM-protected (META-INF/encryption.xml); it cannot be read without removing the DRM", document.ErrEncrypted, encrypted)
	}
	if len(out.Content) == 0 {
		out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: document.ErrNoText.Error() + " (an image-only book?)"})
	}
	out.Warnings = capWarnings(out.Warnings)
	return out, nil
}

// maxStyleSheetBytes bounds the CSS read from one book.
const maxStyleSheetBytes = 4 << 20

// styleSheets reads the class styles of the book's CSS files: how books
// made by InDesign, Calibre or Vellum mark bold names and italic type
// lines. A style sheet that cannot be read is skipped: it only refines.
func styleSheets(a *container.Archive, p *pkg, drm map[string]bool) text.ClassStyles {
	cs := text.ClassStyles{}
	total := 0
	for _, id := range p.order {
		it := p.manifest[id]
		if it.mediaType != "text/css" && !(it.mediaType == "" && strings.HasSuffix(strings.ToLower(it.href), ".css")) {
			continue
		}
		name := resolve(p.dir, it.href)
		if name == "" || drm[name] {
			continue
		}
		data, err := a.ReadFile(name)
		if err != nil || total+len(data) > maxStyleSheetBytes {
			continue
		}
		total += len(data)
		text.ParseCSS(cs, data)
	}
	return cs
}

// textLimit is the error of a book with more text than Limits.MaxTextBytes;
// reading stopped at the limit, so it costs no more than that.
func textLimit(lim document.Limits) error {
	return fmt.Errorf("%w: more than %d bytes of text (the text limit)", document.ErrLimit, lim.MaxTextBytes)
}

// maxChapterWarnings bounds the per-chapter warnings of one book: a hostile
// spine of 100,000 missing chapters must not flood the output.
const maxChapterWarnings = 100

// capWarnings keeps the first maxChapterWarnings chapter warnings and sums
// up the rest in one.
func capWarnings(ws []document.Warning) []document.Warning {
	out := ws[:0]
	dropped := 0
	kept := 0
	for _, w := range ws {
		if w.Chapter > 0 {
			if kept >= maxChapterWarnings {
				dropped++
				continue
			}
			kept++
		}
		out = append(out, w)
	}
	if dropped > 0 {
		out = append(out, document.Warning{Location: "document", Reason: fmt.Sprintf("%d more chapters with problems not listed", dropped)})
	}
	return out
}

// chapterTitle is the navigation title of a chapter: of the document read,
// or of the spine item that fell back to it.
func chapterTitle(titles map[string]string, name string, p *pkg, id string) string {
	if t := titles[name]; t != "" {
		return t
	}
	if it, ok := p.manifest[id]; ok {
		return titles[resolve(p.dir, it.href)]
	}
	return ""
}

func warn(chapter int, name, reason string) document.Warning {
	return document.Warning{
		Location: fmt.Sprintf("chapter %d (%s)", chapter, name),
		Chapter:  chapter,
		Reason:   reason,
	}
}

// navigation reads the table of contents (EPUB 3 nav, else EPUB 2 NCX) and
// returns each chapter file's title, the TOC entries with chapter numbers,
// and a warning when no navigation could be read.
func navigation(ctx context.Context, a *container.Archive, p *pkg, pos map[string]int, lim document.Limits) (map[string]string, []document.TOCEntry, string) {
	var entries []navEntry
	var problem string
	navID, ncxID := "", p.tocID
	for _, id := range p.order {
		it := p.manifest[id]
		if navID == "" && strings.Contains(" "+it.properties+" ", " nav ") {
			navID = id
		}
		if ncxID == "" && it.mediaType == "application/x-dtbncx+xml" {
			ncxID = id
		}
	}
	if it, ok := p.manifest[navID]; ok {
		name := resolve(p.dir, it.href)
		if data, err := a.ReadFile(name); err == nil {
			entries, err = readNav(ctx, data, path.Dir(name))
			if err != nil {
				problem = "navigation document " + name + ": " + err.Error()
			}
		}
	}
	if len(entries) == 0 {
		if it, ok := p.manifest[ncxID]; ok {
			name := resolve(p.dir, it.href)
			if data, err := a.ReadFile(name); err == nil {
				entries, err = readNCX(ctx, data, path.Dir(name), lim)
				if err != nil {
					problem = "NCX " + name + ": " + err.Error()
				}
			}
		}
	}
	titles := map[string]string{}
	var toc []document.TOCEntry
	for _, e := range entries {
		if e.title == "" {
			continue
		}
		ch := pos[e.target]
		if ch > 0 && e.target != "" && titles[e.target] == "" {
			titles[e.target] = e.title
		}
		toc = append(toc, document.TOCEntry{Title: e.title, Level: e.level, Chapter: ch})
	}
	if len(toc) == 0 && problem == "" && len(p.spine) > 1 {
		problem = "no table of contents found; chapters have no titles"
	}
	return titles, toc, problem
}

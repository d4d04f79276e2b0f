package epub

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
	"github.com/corpora-tools/corpora/internal/textnorm"
)

// maxFallbackHops bounds a manifest fallback chain; real chains have one or
// two links, and a cycle must not loop.
const maxFallbackHops = 16

type item struct {
	id, href, mediaType, properties, fallback string
}

type pkg struct {
	dir      string // folder of the OPF inside the archive
	meta     document.Metadata
	authors  []string
	manifest map[string]item
	order    []string // manifest ids in document order
	spine    []string // idrefs
	tocID    string   // spine toc attribute (EPUB 2 NCX)
}

// rootfile finds the OPF: from META-INF/container.xml, or, when that is
// missing or names nothing usable, the first .opf in the archive.
func rootfile(ctx context.Context, a *container.Archive, lim document.Limits) (string, []document.Warning, error) {
	var warns []document.Warning
	if a.Has("META-INF/container.xml") {
		data, err := a.ReadFile("META-INF/container.xml")
		if err != nil {
			return "", nil, err
		}
		d := container.NewDecoder(ctx, data, lim)
		for {
			tok, err := d.Token()
			if err != nil {
				if errors.Is(err, document.ErrLimit) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
					return "", nil, err
				}
				break
			}
			se, ok := tok.(xml.StartElement)
			if !ok || se.Name.Local != "rootfile" {
				continue
			}
			p := container.Attr(se, "full-path")
			mt := container.Attr(se, "media-type")
			if p != "" && (mt == "" || strings.Contains(mt, "oebps-package")) {
				if name, ok := a.Lookup(p); ok {
					return name, nil, nil
				}
			}
		}
		warns = append(warns, document.Warning{Location: "document", Reason: "META-INF/container.xml names no package document that exists; found one by scanning"})
	} else {
		warns = append(warns, document.Warning{Location: "document", Reason: "META-INF/container.xml missing; found the package document by scanning"})
	}
	best := ""
	for _, n := range a.Names() {
		if strings.HasSuffix(strings.ToLower(n), ".opf") && (best == "" || strings.Count(n, "/") < strings.Count(best, "/")) {
			best = n
		}
	}
	if best == "" {
		return "", nil, errors.New("no package document (.opf) in the archive")
	}
	return best, warns, nil
}

// readOPF parses the package document.
func readOPF(ctx context.Context, data []byte, name string, lim document.Limits) (*pkg, error) {
	p := &pkg{dir: path.Dir(name), manifest: map[string]item{}}
	if p.dir == "." {
		p.dir = ""
	}
	d := container.NewDecoder(ctx, data, lim)
	inMeta := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(p.spine) > 0 && !errors.Is(err, document.ErrLimit) {
				break // keep what was read before the damage
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "metadata":
				inMeta = true
			case "item":
				it := item{
					id:         container.Attr(t, "id"),
					href:       container.Attr(t, "href"),
					mediaType:  strings.ToLower(strings.TrimSpace(container.Attr(t, "media-type"))),
					properties: container.Attr(t, "properties"),
					fallback:   container.Attr(t, "fallback"),
				}
				if _, dup := p.manifest[it.id]; it.id != "" && !dup && it.href != "" {
					p.manifest[it.id] = it
					p.order = append(p.order, it.id)
				}
			case "spine":
				p.tocID = container.Attr(t, "toc")
			case "itemref":
				if id := container.Attr(t, "idref"); id != "" {
					p.spine = append(p.spine, id)
				}
			default:
				if inMeta {
					if err := p.metaElement(d, t); err != nil {
						return nil, err
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "metadata" {
				inMeta = false
			}
		}
	}
	if len(p.authors) > 0 {
		p.meta.Author = container.Field(strings.Join(p.authors, "; "))
	}
	return p, nil
}

func (p *pkg) metaElement(d *container.Decoder, t xml.StartElement) error {
	field := map[string]*string{
		"title":       &p.meta.Title,
		"language":    &p.meta.Language,
		"publisher":   &p.meta.Publisher,
		"date":        &p.meta.Created,
		"subject":     &p.meta.Subject,
		"description": nil,
		"creator":     nil,
	}
	dst, known := field[t.Name.Local]
	if !known || !strings.Contains(t.Name.Space, "purl.org/dc") {
		if t.Name.Local == "meta" && container.Attr(t, "property") == "dcterms:modified" {
			s, err := d.Text()
			p.meta.Modified = container.Field(textnorm.Line(s))
			return err
		}
		return nil
	}
	s, err := d.Text()
	if err != nil {
		return err
	}
	s = container.Field(textnorm.Line(s))
	switch {
	case s == "":
	case t.Name.Local == "creator":
		if len(p.authors) < 100 {
			p.authors = append(p.authors, s)
		}
	case t.Name.Local == "subject":
		if p.meta.Subject == "" {
			p.meta.Subject = s
		} else if len(p.meta.Subject) < container.MaxTextField {
			p.meta.Subject = container.Field(p.meta.Subject + "; " + s)
		}
	case dst != nil && *dst == "":
		*dst = s
	}
	return nil
}

// resolve turns an href relative to base's folder into an archive name,
// without its fragment.
func resolve(dir, href string) string {
	if i := strings.IndexByte(href, '#'); i >= 0 {
		href = href[:i]
	}
	if href == "" {
		return ""
	}
	if strings.HasPrefix(href, "/") {
		return container.CleanName(href)
	}
	return container.CleanName(path.Join(dir, href))
}

// isDocument reports whether a manifest item is a content document the
// extractor can read.
func isDocument(it item) bool {
	switch it.mediaType {
	case "application/xhtml+xml", "text/html", "application/xml", "text/xml", "image/svg+xml", "application/x-dtbook+xml":
		return true
	}
	ext := strings.ToLower(path.Ext(it.href))
	return it.mediaType == "" && (ext == ".xhtml" || ext == ".html" || ext == ".htm")
}

// contentItem follows the fallback chain of a spine item to the first
// content document, visiting each item once.
func (p *pkg) contentItem(id string) (item, bool) {
	seen := map[string]bool{}
	for hops := 0; hops < maxFallbackHops && id != "" && !seen[id]; hops++ {
		seen[id] = true
		it, ok := p.manifest[id]
		if !ok {
			return item{}, false
		}
		if isDocument(it) {
			return it, true
		}
		id = it.fallback
	}
	return item{}, false
}

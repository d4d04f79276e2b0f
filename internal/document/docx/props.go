package docx

import (
	"context"
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
	"github.com/corpora-tools/corpora/internal/textnorm"
)

// styleInfo is what a paragraph style says about the block type.
type styleInfo struct {
	name     string // lower-case style name ("heading 1")
	basedOn  string
	outline  int // -1: none
	numbered bool
	// bold and italic are the style's run properties: 1 on, -1 off, 0
	// not said (the style it is based on decides).
	bold, italic int8
}

// toggle reads an on/off run property element (w:b, w:i): on unless its
// val says otherwise.
func toggle(se xml.StartElement) int8 {
	switch strings.ToLower(container.Attr(se, "val")) {
	case "0", "false", "off", "none":
		return -1
	}
	return 1
}

// runStyle resolves the weight and slant a style id gives its runs
// through its basedOn chain: 1 on, -1 off, 0 not said.
func runStyle(id string, all map[string]styleInfo) (bold, italic int8) {
	for i := 0; i < maxStyleChain && id != "" && (bold == 0 || italic == 0); i++ {
		st, ok := all[id]
		if !ok {
			break
		}
		if bold == 0 {
			bold = st.bold
		}
		if italic == 0 {
			italic = st.italic
		}
		id = st.basedOn
	}
	return bold, italic
}

var headingLevelRE = regexp.MustCompile(`^(?:heading|berschrift|titre|titolo|encabezado|kop) ?([1-9])$`)

// headingLevel returns the depth of a heading style (through its basedOn
// chain): "heading N" is N, "Title" 1, an outline level n is n+1; 0 when
// the style does not say.
func headingLevel(id string, all map[string]styleInfo) int {
	for i := 0; i < maxStyleChain && id != ""; i++ {
		st, ok := all[id]
		name := st.name
		if !ok {
			name = strings.ToLower(id)
		}
		if m := headingLevelRE.FindStringSubmatch(name); m != nil {
			return int(m[1][0] - '0')
		}
		if name == "title" {
			return 1
		}
		if ok && st.outline >= 0 && st.outline <= 8 {
			return min(st.outline+1, 6)
		}
		if !ok {
			return 0
		}
		id = st.basedOn
	}
	return 0
}

// maxStyleChain bounds a basedOn chain (a cycle must not loop).
const maxStyleChain = 12

var headingName = regexp.MustCompile(`^(heading|berschrift|titre|titolo|encabezado|kop) ?[1-9]$|^title$`)

// heading reports whether the style id, or a style it is based on, is a
// heading: named "heading N" or "Title", or with an outline level.
func (s styleInfo) heading(id string, all map[string]styleInfo) bool {
	for i := 0; i < maxStyleChain && id != ""; i++ {
		st, ok := all[id]
		if !ok {
			// No styles part (or an unknown id): judge by the id itself.
			return headingName.MatchString(strings.ToLower(id))
		}
		if headingName.MatchString(st.name) || (st.outline >= 0 && st.outline <= 8) {
			return true
		}
		id = st.basedOn
	}
	return false
}

// list reports whether the style numbers its paragraphs.
func (s styleInfo) list(all map[string]styleInfo) bool {
	st := s
	for i := 0; i < maxStyleChain; i++ {
		if st.numbered {
			return true
		}
		next, ok := all[st.basedOn]
		if !ok {
			return false
		}
		st = next
	}
	return false
}

// readStyles reads the paragraph styles of word/styles.xml.
func readStyles(ctx context.Context, data []byte, lim document.Limits) map[string]styleInfo {
	out := map[string]styleInfo{}
	d := container.NewDecoder(ctx, data, lim)
	var cur *styleInfo
	var id string
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !isW(t.Name) {
				continue
			}
			switch t.Name.Local {
			case "style":
				cur, id = &styleInfo{outline: -1}, container.Attr(t, "styleId")
			case "name":
				if cur != nil {
					cur.name = strings.ToLower(strings.TrimSpace(container.Attr(t, "val")))
				}
			case "basedOn":
				if cur != nil {
					cur.basedOn = container.Attr(t, "val")
				}
			case "outlineLvl":
				if cur != nil {
					if n, err := strconv.Atoi(container.Attr(t, "val")); err == nil {
						cur.outline = n
					}
				}
			case "numId":
				if cur != nil {
					cur.numbered = container.Attr(t, "val") != "0"
				}
			case "b":
				if cur != nil {
					cur.bold = toggle(t)
				}
			case "i":
				if cur != nil {
					cur.italic = toggle(t)
				}
			}
		case xml.EndElement:
			if isW(t.Name) && t.Name.Local == "style" && cur != nil {
				if id != "" {
					out[id] = *cur
				}
				cur = nil
			}
		}
	}
}

// readCore reads docProps/core.xml into m.
func readCore(ctx context.Context, a *container.Archive, m *document.Metadata, lim document.Limits) {
	data, err := a.ReadFile("docProps/core.xml")
	if err != nil {
		return
	}
	d := container.NewDecoder(ctx, data, lim)
	for {
		tok, err := d.Token()
		if err != nil {
			return
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		var dst *string
		switch se.Name.Local {
		case "title":
			dst = &m.Title
		case "creator":
			dst = &m.Author
		case "subject":
			dst = &m.Subject
		case "keywords":
			dst = &m.Keywords
		case "language":
			dst = &m.Language
		case "created":
			dst = &m.Created
		case "modified":
			dst = &m.Modified
		default:
			continue
		}
		s, err := d.Text()
		if err != nil {
			return
		}
		if *dst == "" {
			*dst = container.Field(textnorm.Line(s))
		}
	}
}

// readApp reads the producing application and the page count Word saved in
// docProps/app.xml; it returns 0 pages when unknown.
func readApp(ctx context.Context, a *container.Archive, m *document.Metadata, lim document.Limits) int {
	data, err := a.ReadFile("docProps/app.xml")
	if err != nil {
		return 0
	}
	d := container.NewDecoder(ctx, data, lim)
	pages := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return pages
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "Application":
			s, _ := d.Text()
			if m.Creator == "" {
				m.Creator = container.Field(textnorm.Line(s))
			}
		case "Pages":
			s, _ := d.Text()
			if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 && n < 1_000_000 {
				pages = n
			}
		}
	}
}

package epub

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"golang.org/x/net/html"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
	"github.com/corpora-tools/corpora/internal/textnorm"
)

// navEntry is one table-of-contents entry before chapter numbers are known.
type navEntry struct {
	title  string
	level  int
	target string // archive name the entry points to, "" for a label
}

// readNav reads the EPUB 3 navigation document's toc nav (or, without one
// marked toc, its first nav). dir is the nav document's folder, for hrefs.
func readNav(ctx context.Context, data []byte, dir string) ([]navEntry, error) {
	z := html.NewTokenizer(bytes.NewReader(container.DecodeText(data)))
	var (
		out       []navEntry
		navDepth  int  // nesting of <nav> elements while inside the chosen one
		inNav     bool // inside the chosen nav
		done      bool
		olDepth   int
		label     *strings.Builder
		labelHref string
		sawToc    = bytes.Contains(data, []byte("toc"))
	)
	for n := 0; !done; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				return out, z.Err()
			}
			done = true
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			attrs := tagAttrs(z)
			switch string(name) {
			case "nav":
				if inNav {
					navDepth++
					continue
				}
				typ := attrs["epub:type"] + " " + attrs["role"] + " " + attrs["type"]
				if strings.Contains(typ, "toc") || !sawToc {
					inNav, navDepth = true, 1
				}
			case "ol", "ul":
				if inNav {
					olDepth++
				}
			case "a", "span":
				if inNav && label == nil && tt == html.StartTagToken {
					label = &strings.Builder{}
					labelHref = attrs["href"]
				}
			}
		case html.TextToken:
			if label != nil && label.Len() < container.MaxTextField {
				t := z.Text()
				label.Write(t[:min(len(t), container.MaxTextField-label.Len())])
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "nav":
				if inNav {
					navDepth--
					if navDepth == 0 {
						inNav = false
						if len(out) > 0 {
							done = true
						}
					}
				}
			case "ol", "ul":
				if inNav && olDepth > 0 {
					olDepth--
				}
			case "a", "span":
				if label != nil {
					if t := container.Field(textnorm.Line(strings.ToValidUTF8(label.String(), ""))); t != "" {
						target := ""
						if labelHref != "" && !strings.Contains(labelHref, "://") {
							target = resolve(dir, labelHref)
						}
						out = append(out, navEntry{title: t, level: max(olDepth, 1), target: target})
					}
					label = nil
				}
			}
		}
	}
	return out, nil
}

func tagAttrs(z *html.Tokenizer) map[string]string {
	m := map[string]string{}
	for {
		k, v, more := z.TagAttr()
		if len(k) > 0 {
			m[string(k)] = string(v)
		}
		if !more {
			return m
		}
	}
}

// readNCX reads an EPUB 2 NCX navMap.
func readNCX(ctx context.Context, data []byte, dir string, lim document.Limits) ([]navEntry, error) {
	d := container.NewDecoder(ctx, data, lim)
	var (
		out   []navEntry
		depth int
		open  []int // index in out of each open navPoint, -1 before its label
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			if errors.Is(err, document.ErrLimit) {
				return nil, err
			}
			return out, nil // keep the entries read before the damage
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "navPoint":
				depth++
				out = append(out, navEntry{level: depth})
				open = append(open, len(out)-1)
			case "text":
				if len(open) > 0 && out[open[len(open)-1]].title == "" {
					s, err := d.Text()
					if err != nil {
						return out, nil
					}
					out[open[len(open)-1]].title = container.Field(textnorm.Line(s))
				}
			case "content":
				if len(open) > 0 && out[open[len(open)-1]].target == "" {
					out[open[len(open)-1]].target = resolve(dir, container.Attr(t, "src"))
				}
			}
		case xml.EndElement:
			if t.Name.Local == "navPoint" && len(open) > 0 {
				depth--
				open = open[:len(open)-1]
			}
		}
	}
}

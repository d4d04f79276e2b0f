package content

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// FontCache holds the fonts loaded from one document, shared by the pages
// interpreted in parallel, and what Run learnt of the document's forms
// without text (so that a background drawn on every page is read once). A font is keyed by its identity: the reference
// when the resource names it indirectly, else the dictionary itself. A font
// that failed to load keeps its error. The zero value is not usable; use
// NewFontCache.
type FontCache struct {
	mu     sync.Mutex
	byRef  map[cos.Ref]*fontEntry
	byDict map[unsafe.Pointer]*fontEntry
	load   func(Resolver, cos.Dict) (glyphFont, error)
	forms  map[cos.Ref]*formFacts // records of forms without text (interp_formcache.go)
}

type fontEntry struct {
	once sync.Once
	f    glyphFont
	err  error
}

// NewFontCache returns an empty cache for one document's fonts.
func NewFontCache() *FontCache {
	return newFontCache(loadGlyphFont)
}

func newFontCache(load func(Resolver, cos.Dict) (glyphFont, error)) *FontCache {
	return &FontCache{
		byRef:  make(map[cos.Ref]*fontEntry),
		byDict: make(map[unsafe.Pointer]*fontEntry),
		load:   load,
	}
}

var _ glyphFont = (*Font)(nil)

// loadGlyphFont loads a font dictionary with LoadFont.
func loadGlyphFont(r Resolver, d cos.Dict) (glyphFont, error) {
	f, err := LoadFont(r, d)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return f, nil
}

// get returns the font for the resource value v (a Ref or a Dict).
func (c *FontCache) get(r Resolver, v cos.Object) (glyphFont, error) {
	var e *fontEntry
	var d cos.Dict
	switch o := v.(type) {
	case cos.Ref:
		c.mu.Lock()
		e = c.byRef[o]
		if e == nil {
			e = &fontEntry{}
			c.byRef[o] = e
		}
		c.mu.Unlock()
		e.once.Do(func() {
			if r == nil {
				e.err = fmt.Errorf("%w: font %v: no resolver", ErrUnsupported, o)
				return
			}
			res, err := r.Resolve(o)
			if err != nil {
				e.err = fmt.Errorf("font %v: %w", o, err)
				return
			}
			fd, ok := res.(cos.Dict)
			if !ok {
				e.err = fmt.Errorf("%w: font %v is not a dictionary", ErrUnsupported, o)
				return
			}
			e.f, e.err = c.load(r, fd)
		})
		return e.f, e.err
	case cos.Dict:
		d = o
	default:
		return nil, fmt.Errorf("%w: font resource is not a dictionary", ErrUnsupported)
	}
	// A map value is a pointer to its table: that pointer is the
	// dictionary's identity, and holding it keeps the table (and so the
	// identity) alive as long as the cache.
	id := *(*unsafe.Pointer)(unsafe.Pointer(&d))
	c.mu.Lock()
	e = c.byDict[id]
	if e == nil {
		e = &fontEntry{}
		c.byDict[id] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.f, e.err = c.load(r, d) })
	return e.f, e.err
}

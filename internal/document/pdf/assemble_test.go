package pdf

import (
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document/pdf/layout"
)

func TestRemoveFurniture(t *testing.T) {
	mk := func(n int, lines ...layout.Line) *pageText {
		return &pageText{n: n, h: 800, blocks: []layout.Block{{Lines: lines}}}
	}
	hdr := func(s string) layout.Line {
		return layout.Line{Text: s, Box: layout.Box{L: 50, B: 760, R: 300, T: 772}, Size: 9}
	}
	body := func(s string) layout.Line {
		return layout.Line{Text: s, Box: layout.Box{L: 50, B: 400, R: 300, T: 412}, Size: 10}
	}
	ftr := func(s string) layout.Line {
		return layout.Line{Text: s, Box: layout.Box{L: 50, B: 20, R: 300, T: 32}, Size: 9}
	}
	pages := []*pageText{
		mk(1, hdr("The Emberfall Codex"), body("Body one"), ftr("Page 1")),
		mk(2, hdr("The Emberfall Codex"), body("Body two"), ftr("Page 2")),
		mk(3, hdr("The Emberfall Codex"), body("Body three"), ftr("iv")),
	}
	removeFurniture(pages)
	for _, p := range pages {
		if len(p.blocks) != 1 || len(p.blocks[0].Lines) != 1 || !strings.HasPrefix(p.blocks[0].Lines[0].Text, "Body") {
			t.Errorf("page %d kept %+v", p.n, p.blocks)
		}
	}
}

func TestHyphenKeeper(t *testing.T) {
	k := newHyphenKeeper([]string{"the half-orc warrior", "a yuan-ti", "swiftly"})
	if !k.keep("half", "orc") || k.keep("swift", "ly") || k.keep("pre", "pare") {
		t.Error("hyphenKeeper decisions wrong")
	}
}

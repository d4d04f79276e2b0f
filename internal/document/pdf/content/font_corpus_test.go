package content

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// TestCorpusFonts loads every font of every corpus PDF (page resources and
// form XObjects) and logs what loads and why the rest do not. The SRD
// renderings, the fast path's main diet, must load completely.
func TestCorpusFonts(t *testing.T) {
	dir := testcorpus.Dir(t)
	var files []string
	for _, sub := range []string{"pdf", filepath.Join("srd", "rendered")} {
		ents, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, e := range ents {
			if strings.EqualFold(filepath.Ext(e.Name()), ".pdf") {
				files = append(files, filepath.Join(dir, sub, e.Name()))
			}
		}
	}
	if len(files) == 0 {
		t.Skip("no PDFs in the corpus")
	}
	reasons := map[string]int{}
	var total, loaded int
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := cos.Open(data, cos.Limits{})
		if err != nil {
			continue
		}
		pages, err := f.Pages()
		if err != nil {
			continue
		}
		fonts := map[cos.Ref]cos.Dict{}
		var direct []cos.Dict
		seen := map[cos.Ref]bool{}
		var walk func(res cos.Dict, depth int)
		walk = func(res cos.Dict, depth int) {
			if res == nil || depth > 4 {
				return
			}
			for _, v := range f.Dict(res["Font"]) {
				if r, ok := v.(cos.Ref); ok {
					if _, ok := fonts[r]; !ok {
						fonts[r] = f.Dict(r)
					}
				} else if d, ok := v.(cos.Dict); ok {
					direct = append(direct, d)
				}
			}
			for _, v := range f.Dict(res["XObject"]) {
				r, ok := v.(cos.Ref)
				if !ok || seen[r] {
					continue
				}
				seen[r] = true
				if s := f.Stream(r); s != nil && s.Dict["Subtype"] == cos.Name("Form") {
					walk(f.Dict(s.Dict["Resources"]), depth+1)
				}
			}
		}
		for _, p := range pages {
			walk(p.Resources, 0)
		}
		name := filepath.Base(path)
		var bad []string
		try := func(d cos.Dict) {
			if d == nil {
				return
			}
			total++
			font, err := LoadFont(f, d)
			if err == nil {
				loaded++
				if font.Ascent() <= 0 || font.Descent() > 0 {
					t.Errorf("%s: font %s: ascent %v descent %v", name, font.Name(), font.Ascent(), font.Descent())
				}
				return
			}
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("%s: error not wrapping ErrUnsupported: %v", name, err)
			}
			msg := err.Error()
			if i := strings.Index(msg, ErrUnsupported.Error()+": "); i >= 0 {
				msg = msg[i+len(ErrUnsupported.Error())+2:]
			}
			reasons[msg]++
			bad = append(bad, err.Error())
			t.Logf("%s: %v", name, err)
		}
		for _, d := range fonts {
			try(d)
		}
		for _, d := range direct {
			try(d)
		}
		if strings.HasPrefix(name, "srd_") && len(bad) > 0 {
			t.Errorf("%s: fonts not loaded: %v", name, bad)
		}
	}
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return reasons[keys[i]] > reasons[keys[j]] })
	t.Logf("%d of %d fonts loaded", loaded, total)
	for _, k := range keys {
		t.Logf("%4d  %s", reasons[k], k)
	}
}

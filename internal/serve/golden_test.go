package serve

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	tokenRE  = regexp.MustCompile(`name="csrf-token" content="[0-9a-f]+"`)
	loadedRE = regexp.MustCompile(`read \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)
)

// TestGoldenPages compares whole pages of the fixture with testdata/*.html
// (go test ./internal/serve -run TestGoldenPages -update rewrites them).
func TestGoldenPages(t *testing.T) {
	s, dir := newTestServer(t, false)
	for name, path := range map[string]string{
		"term.html":    "/terms/master-frost-ray",
		"review.html":  "/review",
		"terms.html":   "/terms?category=spell&sort=-confidence",
		"hostile.html": "/terms/master-img-src-x-onerror-alert-1",
	} {
		t.Run(name, func(t *testing.T) {
			w := s.do(t, call{method: "GET", path: path})
			if w.Code != 200 {
				t.Fatalf("%s: %d", path, w.Code)
			}
			got := strings.ReplaceAll(w.Body.String(), dir, "DIR")
			got = tokenRE.ReplaceAllString(got, `name="csrf-token" content="TOKEN"`)
			got = loadedRE.ReplaceAllString(got, "read TIME")
			file := filepath.Join("testdata", name)
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := range max(len(gl), len(wl)) {
					var g, w string
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if g != w {
						t.Fatalf("%s differs from %s at line %d:\n got: %s\nwant: %s", path, file, i+1, g, w)
					}
				}
			}
		})
	}
}

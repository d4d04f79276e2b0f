package serve

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// pageNames are the pages; each is parsed with the layout and the charts.
var pageNames = []string{"overview", "terms", "term", "review", "error"}

func parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"join":  strings.Join,
		"pages": formatPages,
		"score": func(v any) string { return fmt.Sprintf("%.2f", v) },
		"add":   func(a, b float64) float64 { return a + b },
	}
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/charts.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// formatPages writes page numbers as "p. 3, 7, 12".
func formatPages(ps []int) string {
	if len(ps) == 0 {
		return ""
	}
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = strconv.Itoa(p)
	}
	if len(ps) == 1 {
		return "p. " + s[0]
	}
	return "pp. " + strings.Join(s, ", ")
}

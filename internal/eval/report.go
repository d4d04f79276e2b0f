package eval

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/corpora-tools/corpora/internal/classify"
)

// Accuracy is right of found gold names of one category.
type Accuracy struct {
	Right, Found int
}

// Rate is Right/Found, 0 when nothing was found.
func (a Accuracy) Rate() float64 {
	if a.Found == 0 {
		return 0
	}
	return float64(a.Right) / float64(a.Found)
}

// Accuracy is the book's accuracy per gold category.
func (b *Book) Accuracy() map[classify.Category]Accuracy {
	out := map[classify.Category]Accuracy{}
	for g, row := range b.Confusion {
		a := out[g]
		for c, n := range row {
			a.Found += n
			if c == g {
				a.Right += n
			}
		}
		out[g] = a
	}
	return out
}

// Layout sums the confusion of the books of one layout ("" for all).
func (r *Report) Layout(layout string) map[classify.Category]map[classify.Category]int {
	out := map[classify.Category]map[classify.Category]int{}
	for _, b := range r.Books {
		if layout != "" && b.Layout != layout {
			continue
		}
		for g, row := range b.Confusion {
			if out[g] == nil {
				out[g] = map[classify.Category]int{}
			}
			for c, n := range row {
				out[g][c] += n
			}
		}
	}
	return out
}

func pct(n, d int) string {
	if d == 0 {
		return "   -  "
	}
	return fmt.Sprintf("%5.1f%%", 100*float64(n)/float64(d))
}

// Write prints the report: a line per book, then per layout the accuracy
// per category and its confusion matrix, then the judged terms.
func (r *Report) Write(w io.Writer, verbose bool) {
	fmt.Fprintf(w, "%-28s %-6s %5s %14s %-40s %6s %14s\n", "book", "layout", "gold", "recall", "accuracy by category", "terms", "dropped")
	for _, b := range r.Books {
		if b.Gold == 0 && len(b.Judged) == 0 {
			continue
		}
		var acc []string
		a := b.Accuracy()
		for _, c := range sortedCats(a) {
			acc = append(acc, fmt.Sprintf("%s %d/%d", c, a[c].Right, a[c].Found))
		}
		fmt.Fprintf(w, "%-28s %-6s %5d %4d = %s %-40s %6d %5d = %s\n", b.File, b.Layout, b.Gold, b.Found, pct(b.Found, b.Gold),
			strings.Join(acc, ", "), b.Terms, b.Dropped, pct(b.Dropped, b.Terms+b.Dropped))
		if verbose && len(b.Wrong) > 0 {
			fmt.Fprintf(w, "    wrong: %s\n", strings.Join(b.Wrong, ", "))
		}
		if verbose && len(b.Missed) > 0 {
			fmt.Fprintf(w, "    missed: %s\n", strings.Join(b.Missed, ", "))
		}
		if verbose && len(b.Emitted) > 0 {
			fmt.Fprintf(w, "    emitted: %s\n", strings.Join(b.Emitted, ", "))
		}
	}
	for _, layout := range []string{"book", "plain"} {
		conf := r.Layout(layout)
		if len(conf) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s layout: accuracy per category; confusion (rows gold, columns given)\n", layout)
		fmt.Fprintf(w, "%-10s %16s ", "gold", "accuracy")
		for _, c := range classify.Categories {
			fmt.Fprintf(w, " %9s", c)
		}
		fmt.Fprintln(w)
		for _, g := range classify.Categories {
			row := conf[g]
			if row == nil {
				continue
			}
			found := 0
			for _, n := range row {
				found += n
			}
			fmt.Fprintf(w, "%-10s %4d/%4d %s ", g, row[g], found, pct(row[g], found))
			for _, c := range classify.Categories {
				fmt.Fprintf(w, " %9d", row[c])
			}
			fmt.Fprintln(w)
		}
	}
	judged, kept := map[string]int{}, map[string]int{}
	for _, b := range r.Books {
		for j, n := range b.Judged {
			judged[j] += n
			kept[j] += b.Kept[j]
		}
	}
	if len(judged) > 0 {
		fmt.Fprintf(w, "\njudged terms still emitted:")
		for _, j := range []string{"good", "plain", "junk"} {
			fmt.Fprintf(w, "  %s %d/%d = %s", j, kept[j], judged[j], strings.TrimSpace(pct(kept[j], judged[j])))
		}
		fmt.Fprintln(w)
	}
}

func sortedCats(m map[classify.Category]Accuracy) []classify.Category {
	out := make([]classify.Category, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

package serve

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/corpora-tools/corpora/internal/classify"
)

// The facets of /terms, in the order the page shows them. Each is a query
// parameter; repeating it (category=spell&category=item) allows any of the
// values given.
var facetNames = []string{"category", "intent", "mood", "energy", "source", "flagged"}

const (
	facetCategory = iota
	facetIntent
	facetMood
	facetEnergy
	facetSource
	facetFlagged
	facetCount
)

// Sort keys /terms accepts in sort=; a leading "-" sorts descending.
var sortKeys = map[string]bool{"text": true, "canonical": true, "confidence": true, "count": true, "category": true}

const (
	defaultPerPage = 50
	maxPerPage     = 1000
)

// Query is a parsed /terms (and /api/terms, downloads) query string.
type Query struct {
	Q      string
	Facets [facetCount][]string
	Axes   []AxisRange
	// Sort is a key of sortKeys or "axis.NAME"; "" keeps the master's order.
	Sort    string
	Desc    bool
	Page    int // from 1
	PerPage int
}

// AxisRange keeps the terms whose axis lies within [Lo, Hi].
type AxisRange struct {
	Axis   int
	Lo, Hi float64
}

// ParseQuery reads a query string. Unknown parameters are ignored (links
// may carry others); malformed known ones are errors, said in words.
func ParseQuery(v url.Values) (Query, error) {
	q := Query{Q: strings.TrimSpace(v.Get("q")), Page: 1, PerPage: defaultPerPage}
	for i, name := range facetNames {
		for _, val := range v[name] {
			val = strings.TrimSpace(val)
			if val == "" {
				continue
			}
			if i == facetFlagged {
				switch strings.ToLower(val) {
				case "yes", "true", "1":
					val = "yes"
				case "no", "false", "0":
					val = "no"
				default:
					return q, fmt.Errorf("flagged must be yes or no, not %q", val)
				}
			}
			q.Facets[i] = append(q.Facets[i], val)
		}
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name, ok := strings.CutPrefix(k, "axis.")
		if !ok {
			continue
		}
		ax := classify.AxisIndex(name)
		if ax < 0 {
			return q, fmt.Errorf("%s: no such axis (axes: %s)", k, strings.Join(classify.AxisNames[:], ", "))
		}
		for _, val := range v[k] {
			if strings.TrimSpace(val) == "" {
				continue
			}
			r, err := parseRange(val)
			if err != nil {
				return q, fmt.Errorf("%s=%s: %w", k, val, err)
			}
			r.Axis = ax
			q.Axes = append(q.Axes, r)
		}
	}
	if s := strings.TrimSpace(v.Get("sort")); s != "" {
		key := strings.TrimPrefix(s, "-")
		q.Desc = strings.HasPrefix(s, "-")
		if name, ok := strings.CutPrefix(key, "axis."); ok {
			if classify.AxisIndex(name) < 0 {
				return q, fmt.Errorf("sort=%s: no such axis", s)
			}
		} else if !sortKeys[key] {
			return q, fmt.Errorf("sort=%s: sort by text, canonical, confidence, count, category or axis.NAME (a leading - for descending)", s)
		}
		q.Sort = key
	}
	var err error
	if q.Page, err = positive(v, "page", 1, 1<<30); err != nil {
		return q, err
	}
	if q.PerPage, err = positive(v, "per_page", defaultPerPage, maxPerPage); err != nil {
		return q, err
	}
	return q, nil
}

// parseRange reads "LO-HI", "LO-" or "-HI" within [0, 1].
func parseRange(s string) (AxisRange, error) {
	r := AxisRange{Lo: 0, Hi: 1}
	lo, hi, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return r, fmt.Errorf("a range is LO-HI, such as 0.5-1")
	}
	var err error
	if lo = strings.TrimSpace(lo); lo != "" {
		if r.Lo, err = strconv.ParseFloat(lo, 64); err != nil {
			return r, fmt.Errorf("%q is not a number", lo)
		}
	}
	if hi = strings.TrimSpace(hi); hi != "" {
		if r.Hi, err = strconv.ParseFloat(hi, 64); err != nil {
			return r, fmt.Errorf("%q is not a number", hi)
		}
	}
	if r.Lo < 0 || r.Hi > 1 || r.Lo > r.Hi || r.Lo != r.Lo || r.Hi != r.Hi {
		return r, fmt.Errorf("a range lies within 0-1, low end first")
	}
	return r, nil
}

func positive(v url.Values, name string, def, max int) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s must be a whole number from 1, not %q", name, s)
	}
	return min(n, max), nil
}

// Values returns the query string that gives q back (page left out when 1),
// for links.
func (q Query) Values() url.Values {
	v := url.Values{}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	for i, name := range facetNames {
		for _, val := range q.Facets[i] {
			v.Add(name, val)
		}
	}
	for _, r := range q.Axes {
		v.Add("axis."+classify.AxisNames[r.Axis], strconv.FormatFloat(r.Lo, 'g', -1, 64)+"-"+strconv.FormatFloat(r.Hi, 'g', -1, 64))
	}
	if q.Sort != "" {
		s := q.Sort
		if q.Desc {
			s = "-" + s
		}
		v.Set("sort", s)
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.PerPage != defaultPerPage {
		v.Set("per_page", strconv.Itoa(q.PerPage))
	}
	return v
}

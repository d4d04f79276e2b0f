package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/termkey"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// layoutData is what every page's layout gets.
type layoutData struct {
	Title    string
	Nav      string
	Token    string
	ReadOnly bool
	Dir      string
	LoadedAt string
	Page     any
}

// pageFunc renders one page: it returns the template's name and data.
type pageFunc func(w http.ResponseWriter, r *http.Request, snap *snapshot) (name, title string, data any, err error)

// httpError is an error with the status to answer.
type httpError struct {
	status int
	msg    string
}

func (e httpError) Error() string { return e.msg }

func (s *Server) page(fn pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		snap, err := s.store.get(r.Context())
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err.Error())
			return
		}
		name, title, data, err := fn(w, r, snap)
		if err != nil {
			var he httpError
			if errors.As(err, &he) {
				s.fail(w, r, he.status, he.msg)
				return
			}
			s.fail(w, r, http.StatusInternalServerError, err.Error())
			return
		}
		s.render(w, r, http.StatusOK, name, layoutData{
			Title: title, Nav: name, Token: s.token, ReadOnly: s.opts.ReadOnly,
			Dir: s.opts.Dir, LoadedAt: vocab.Timestamp(snap.loadedAt), Page: data,
		})
	}
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data layoutData) {
	t := s.pages[name]
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.logf("%s %s: template %s: %v", r.Method, r.URL.Path, name, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail answers an error: JSON for the API (and for clients asking for
// JSON), a small page otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if status >= 500 {
		s.logf("%s %s: %s", r.Method, r.URL.Path, msg)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json") || s.pages == nil {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	s.render(w, r, status, "error", layoutData{Title: http.StatusText(status), Token: s.token, ReadOnly: s.opts.ReadOnly, Dir: s.opts.Dir,
		Page: map[string]any{"Status": status, "Message": msg}})
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "corpora: serve: "+format+"\n", args...)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"cannot encode the answer"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}

// ---- overview

type overviewData struct {
	Sum        Summary
	Books      barChart
	Categories barChart
	Intents    barChart
	Moods      barChart
	Energies   barChart
	Axes       []histogram
}

func facetLink(name string) func(string) string {
	return func(v string) string { return "/terms?" + url.Values{name: {v}}.Encode() }
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request, snap *snapshot) (string, string, any, error) {
	sum := s.summary(snap)
	books := make([]valueCount, len(sum.Books))
	for i, b := range sum.Books {
		books[i] = valueCount{Value: b.Source, Count: b.Terms}
	}
	d := overviewData{
		Sum:        sum,
		Books:      newBarChart("Terms per book", books, facetLink("source")),
		Categories: newBarChart("Categories", sum.Categories, facetLink("category")),
		Intents:    newBarChart("Intents", sum.Intents, facetLink("intent")),
		Moods:      newBarChart("Moods", sum.Moods, facetLink("mood")),
		Energies:   newBarChart("Energies", sum.Energies, facetLink("energy")),
	}
	for _, st := range sum.Axes {
		d.Axes = append(d.Axes, newHistogram(st))
	}
	return "overview", "Overview", d, nil
}

// ---- terms

type termsData struct {
	Query   Query
	Total   int
	Rows    []termRow
	Facets  []facetView
	Axes    []axisFilter
	Sorts   []sortOption
	Prev    string
	Next    string
	PageOf  string
	Formats []download
}

type termRow struct {
	ID, Text, Canonical, Category, Intent, Mood, Energy string
	Confidence                                          string
	Count                                               int
	Flagged                                             bool
	Href                                                string
}

type facetView struct {
	Name   string
	Values []facetValue
}

type facetValue struct {
	Value    string
	Count    int
	Selected bool
	Href     string // toggles the value
}

type axisFilter struct {
	Name  string
	Value string
}

type sortOption struct {
	Value, Label string
	Selected     bool
}

type download struct{ Label, Href string }

func (s *Server) termsPage(w http.ResponseWriter, r *http.Request, snap *snapshot) (string, string, any, error) {
	q, err := ParseQuery(r.URL.Query())
	if err != nil {
		return "", "", nil, httpError{http.StatusBadRequest, err.Error()}
	}
	ix := snap.index
	res := ix.search(q, true)
	d := termsData{Query: q, Total: res.total}
	for _, i := range res.page(q) {
		d.Rows = append(d.Rows, newTermRow(&ix.entries[i], ix.ids[i]))
	}
	for f, name := range facetNames {
		fv := facetView{Name: name}
		counts := ix.facetCounts(res, f)
		selected := map[string]bool{}
		for _, v := range q.Facets[f] {
			selected[v] = true
		}
		for _, v := range q.Facets[f] {
			if !hasValue(counts, v) {
				counts = append(counts, valueCount{Value: v})
			}
		}
		if len(counts) > 40 {
			counts = counts[:40]
		}
		for _, c := range counts {
			t := q
			t.Page = 1
			t.Facets[f] = toggle(q.Facets[f], c.Value)
			fv.Values = append(fv.Values, facetValue{Value: c.Value, Count: c.Count, Selected: selected[c.Value], Href: "/terms?" + t.Values().Encode()})
		}
		d.Facets = append(d.Facets, fv)
	}
	ranges := map[string]string{}
	for _, a := range q.Axes {
		ranges[classify.AxisNames[a.Axis]] = fmt.Sprintf("%g-%g", a.Lo, a.Hi)
	}
	for _, name := range classify.AxisNames {
		d.Axes = append(d.Axes, axisFilter{Name: name, Value: ranges[name]})
	}
	cur := q.Sort
	if q.Desc {
		cur = "-" + cur
	}
	d.Sorts = append(d.Sorts, sortOption{Value: "", Label: "canonical order", Selected: cur == ""})
	for _, o := range []struct{ v, l string }{{"text", "text A-Z"}, {"-text", "text Z-A"}, {"-confidence", "confidence, highest"}, {"confidence", "confidence, lowest"}, {"-count", "count, highest"}, {"category", "category"}} {
		d.Sorts = append(d.Sorts, sortOption{Value: o.v, Label: o.l, Selected: cur == o.v})
	}
	for _, name := range classify.AxisNames {
		d.Sorts = append(d.Sorts, sortOption{Value: "-axis." + name, Label: name + ", highest", Selected: cur == "-axis."+name})
	}
	pages := max(1, (res.total+q.PerPage-1)/q.PerPage)
	d.PageOf = fmt.Sprintf("page %d of %d", min(q.Page, pages), pages)
	if q.Page > 1 {
		p := q
		p.Page = min(q.Page-1, pages)
		d.Prev = "/terms?" + p.Values().Encode()
	}
	if q.Page < pages {
		p := q
		p.Page = q.Page + 1
		d.Next = "/terms?" + p.Values().Encode()
	}
	all := q
	all.Page = 1
	all.PerPage = defaultPerPage
	qs := all.Values()
	qs.Del("page")
	qs.Del("per_page")
	enc := qs.Encode()
	if enc != "" {
		enc = "?" + enc
	}
	d.Formats = []download{{"JSON", "/terms.json" + enc}, {"JSON Lines", "/terms.jsonl" + enc}, {"CSV", "/terms.csv" + enc}}
	return "terms", "Terms", d, nil
}

func hasValue(vs []valueCount, v string) bool {
	for _, c := range vs {
		if c.Value == v {
			return true
		}
	}
	return false
}

func toggle(vals []string, v string) []string {
	var out []string
	found := false
	for _, x := range vals {
		if x == v {
			found = true
			continue
		}
		out = append(out, x)
	}
	if !found {
		out = append(out, v)
	}
	return out
}

func termHref(id string) string { return "/terms/" + url.PathEscape(id) }

func newTermRow(e *vocab.Entry, id string) termRow {
	return termRow{
		ID: e.ID, Text: e.Text, Canonical: e.Canonical, Category: string(e.Category), Intent: string(e.Intent),
		Mood: string(e.Mood), Energy: e.Energy, Confidence: fmt.Sprintf("%.2f", float64(e.Confidence)),
		Count: e.Count, Flagged: e.IPFlag != nil, Href: termHref(id),
	}
}

// ---- one term

type termData struct {
	Entry    *vocab.Entry
	Sources  []string
	Contexts []bookContext
	Radar    radar
	Axes     []axisValue
	Flag     string
	Decision *ipreview.Decision
	Review   string // link to the review card, when the term is in the queue
}

type axisValue struct {
	Name  string
	Value string
}

func (s *Server) findEntry(snap *snapshot, id string) (*vocab.Entry, error) {
	i, ok := snap.index.byID[id]
	if !ok {
		i, ok = snap.index.synthetic(id)
	}
	if !ok {
		return nil, httpError{http.StatusNotFound, fmt.Sprintf("no term with id %q in this vocabulary", id)}
	}
	return &snap.index.entries[i], nil
}

func (s *Server) termPage(w http.ResponseWriter, r *http.Request, snap *snapshot) (string, string, any, error) {
	e, err := s.findEntry(snap, r.PathValue("id"))
	if err != nil {
		return "", "", nil, err
	}
	d := termData{Entry: e, Sources: entrySources(e), Contexts: contextsOf(snap, e), Radar: newRadar(e.Axes)}
	for i, name := range classify.AxisNames {
		d.Axes = append(d.Axes, axisValue{name, fmt.Sprintf("%.2f", e.Axes[i])})
	}
	if e.IPFlag != nil {
		d.Flag = *e.IPFlag
	}
	if dec, ok := snap.decisions[termkey.Key(e.Canonical)]; ok {
		d.Decision = &dec
	}
	if snap.queue != nil {
		for _, it := range snap.queue.Items {
			if termkey.Key(it.Canonical) == termkey.Key(e.Canonical) {
				d.Review = "/review?" + url.Values{"term": {it.Canonical}}.Encode()
				break
			}
		}
	}
	return "term", e.Text, d, nil
}

// contextsOf returns where the entry occurs, book by book: from the
// per-book vocab files when the folder has them, else the master's own
// context.
func contextsOf(snap *snapshot, e *vocab.Entry) []bookContext {
	if cs := snap.contexts[termkey.Key(e.Canonical)]; len(cs) > 0 {
		return cs
	}
	if e.Context == "" && len(e.Pages) == 0 {
		return nil
	}
	book := e.Source
	if len(e.Sources) > 0 {
		book = e.Sources[0].Source
	}
	return []bookContext{{Book: book, Text: e.Text, Context: e.Context, Pages: e.Pages, Count: e.Count}}
}

// ---- review

type reviewData struct {
	Total, Decided, Pending int
	Item                    *reviewItem
	Matched, Why            string
	Contexts                []bookContext
	TermHref                string
	Done                    bool
	Decisions               []decidedRow
}

type decidedRow struct {
	Canonical, Decision, Href string
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, snap *snapshot) (string, string, any, error) {
	items, pending := snap.reviewItems()
	d := reviewData{Total: len(items), Pending: pending, Decided: len(items) - pending}
	want := r.URL.Query().Get("term")
	for i := range items {
		it := &items[i]
		if (want != "" && termkey.Key(it.Canonical) == termkey.Key(want)) || (want == "" && it.Decided == nil) {
			d.Item = it
			break
		}
	}
	if want != "" && d.Item == nil {
		return "", "", nil, httpError{http.StatusNotFound, fmt.Sprintf("%q is not in the review queue", want)}
	}
	d.Done = d.Item == nil
	if it := d.Item; it != nil {
		d.Matched, d.Why = it.Reason, ""
		if len(it.Matches) > 0 {
			d.Matched, d.Why = ipreview.Describe(it.Matches)
		}
		k := termkey.Key(it.Canonical)
		d.Contexts = snap.contexts[k]
		if i, ok := snap.index.entryByKey(k); ok {
			if len(d.Contexts) == 0 {
				d.Contexts = contextsOf(snap, &snap.index.entries[i])
			}
			d.TermHref = termHref(snap.index.ids[i])
		}
		if len(d.Contexts) > 5 {
			d.Contexts = d.Contexts[:5]
		}
	}
	for _, it := range items {
		if it.Decided == nil {
			continue
		}
		dec := string(it.Decided.Action)
		if it.Decided.Action == ipreview.Rename {
			dec += " → " + it.Decided.NewText
		}
		d.Decisions = append(d.Decisions, decidedRow{Canonical: it.Canonical, Decision: dec, Href: "/review?" + url.Values{"term": {it.Canonical}}.Encode()})
	}
	return "review", "Review", d, nil
}

// ---- API

func (s *Server) snap(w http.ResponseWriter, r *http.Request) *snapshot {
	snap, err := s.store.get(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return nil
	}
	return snap
}

func (s *Server) apiSummary(w http.ResponseWriter, r *http.Request) {
	if snap := s.snap(w, r); snap != nil {
		writeJSON(w, http.StatusOK, s.summary(snap))
	}
}

type termsAnswer struct {
	Total   int           `json:"total"`
	Page    int           `json:"page"`
	PerPage int           `json:"per_page"`
	Terms   []vocab.Entry `json:"terms"`
}

func (s *Server) apiTerms(w http.ResponseWriter, r *http.Request) {
	q, err := ParseQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	snap := s.snap(w, r)
	if snap == nil {
		return
	}
	res := snap.index.search(q, false)
	ans := termsAnswer{Total: res.total, Page: q.Page, PerPage: q.PerPage, Terms: []vocab.Entry{}}
	for _, i := range res.page(q) {
		ans.Terms = append(ans.Terms, snap.index.entries[i])
	}
	writeJSON(w, http.StatusOK, ans)
}

type termAnswer struct {
	Term     vocab.Entry        `json:"term"`
	Contexts []bookContext      `json:"contexts"`
	Decision *ipreview.Decision `json:"decision"`
}

func (s *Server) apiTerm(w http.ResponseWriter, r *http.Request) {
	snap := s.snap(w, r)
	if snap == nil {
		return
	}
	e, err := s.findEntry(snap, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, http.StatusNotFound, err.Error())
		return
	}
	ans := termAnswer{Term: *e, Contexts: contextsOf(snap, e)}
	if ans.Contexts == nil {
		ans.Contexts = []bookContext{}
	}
	if dec, ok := snap.decisions[termkey.Key(e.Canonical)]; ok {
		ans.Decision = &dec
	}
	writeJSON(w, http.StatusOK, ans)
}

func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("the body is not the JSON expected: %v", err)
	}
	return nil
}

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) {
	var d Decision
	if err := decodeBody(r, &d); err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	d.Term, d.NewText, d.Note = strings.TrimSpace(d.Term), strings.TrimSpace(d.NewText), strings.TrimSpace(d.Note)
	a, err := ipreview.ParseAction(d.Decision)
	switch {
	case d.Term == "":
		s.fail(w, r, http.StatusBadRequest, "term is missing")
		return
	case err != nil:
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	case a == ipreview.Rename && d.NewText == "":
		s.fail(w, r, http.StatusBadRequest, "rename needs a non-empty new_text")
		return
	case a != ipreview.Rename && d.NewText != "":
		s.fail(w, r, http.StatusBadRequest, string(a)+" takes no new_text")
		return
	}
	d.Decision = string(a)
	if err := s.opts.Review.Decide(r.Context(), s.opts.Dir, d.Term, d); err != nil {
		s.reviewFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "term": d.Term, "decision": d.Decision, "new_text": d.NewText})
}

func (s *Server) reviewFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrRefused):
		s.fail(w, r, http.StatusUnprocessableEntity, strings.TrimPrefix(err.Error(), ErrRefused.Error()+": "))
	case errors.Is(err, context.Canceled):
		s.fail(w, r, http.StatusServiceUnavailable, "the server is stopping")
	default:
		s.fail(w, r, http.StatusInternalServerError, err.Error())
	}
}

func (s *Server) apiUndo(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Term string `json:"term"`
	}
	if err := decodeBody(r, &body); err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	if strings.TrimSpace(body.Term) == "" {
		s.fail(w, r, http.StatusBadRequest, "term is missing")
		return
	}
	canonical, restored, err := undoDecision(r.Context(), s.opts.Dir, body.Term, s.opts.Now())
	if err != nil {
		s.reviewFailed(w, r, err)
		return
	}
	ans := map[string]any{"ok": true, "term": canonical, "decision": nil}
	if restored != nil {
		ans["decision"] = restored
	}
	writeJSON(w, http.StatusOK, ans)
}

func (s *Server) apiApply(w http.ResponseWriter, r *http.Request) {
	msg, err := s.opts.Review.Apply(r.Context(), s.opts.Dir)
	if err != nil {
		s.reviewFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "message": msg})
}

// ---- downloads

func (s *Server) download(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := ParseQuery(r.URL.Query())
		if err != nil {
			s.fail(w, r, http.StatusBadRequest, err.Error())
			return
		}
		snap := s.snap(w, r)
		if snap == nil {
			return
		}
		res := snap.index.search(q, false)
		es := make([]vocab.Entry, len(res.hits))
		for i, h := range res.hits {
			es[i] = snap.index.entries[h]
		}
		var buf bytes.Buffer
		ctype := ""
		switch format {
		case "json":
			ctype = "application/json; charset=utf-8"
			err = writeVocabJSON(&buf, snap.master, es)
		case "jsonl":
			ctype = "application/x-ndjson; charset=utf-8"
			err = writeJSONLines(&buf, es)
		case "csv":
			ctype = "text/csv; charset=utf-8"
			err = writeCSV(&buf, es)
		}
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err.Error())
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", `attachment; filename="terms.`+format+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		_, _ = w.Write(buf.Bytes())
	}
}

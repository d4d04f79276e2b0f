package serve

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/serve/servetest"
	"github.com/corpora-tools/corpora/internal/termkey"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// testReviewer records and applies decisions with the review packages
// directly (the command line's Reviewer runs 'corpora review' itself; its
// tests live in internal/cli).
type testReviewer struct{}

func (testReviewer) Decide(ctx context.Context, dir, term string, d Decision) error {
	q, err := ipreview.ReadQueue(filepath.Join(dir, ipreview.QueueFile))
	if err != nil {
		return err
	}
	canonical := ""
	for _, it := range q.Items {
		if termkey.Key(it.Canonical) == termkey.Key(term) {
			canonical = it.Canonical
		}
	}
	if canonical == "" {
		return fmt.Errorf("%w: %q is not in the review queue", ErrRefused, term)
	}
	return ipreview.UpdateDecisions(ctx, filepath.Join(dir, ipreview.DecisionsFile), func(ds *ipreview.Decisions) error {
		return ds.Record(canonical, ipreview.Decision{Action: ipreview.Action(d.Decision), NewText: d.NewText, Note: d.Note, DecidedAt: vocab.Timestamp(servetest.Now)})
	})
}

func (testReviewer) Apply(ctx context.Context, dir string) (string, error) {
	sum, err := vocab.Apply(vocab.ApplyOptions{Dir: dir, Now: func() time.Time { return servetest.Now }})
	return fmt.Sprintf("applied: %d removed, %d kept, %d renamed", sum.Removed, sum.Kept, sum.Renamed), err
}

const testHost = "127.0.0.1:8417"

func newTestServer(t *testing.T, readOnly bool) (*Server, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	if err := servetest.Write(dir); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Dir: dir, ReadOnly: readOnly, Review: testReviewer{}, Now: func() time.Time { return servetest.Now }})
	if err != nil {
		t.Fatal(err)
	}
	s.AllowAddr(testHost)
	return s, dir
}

type call struct {
	method, path, body string
	header             map[string]string
}

func (s *Server) do(t testing.TB, c call) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req := httptest.NewRequest(c.method, "http://"+testHost+c.path, body)
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	if h, ok := c.header["Host"]; ok {
		req.Host = h
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in      string
		check   func(q Query) bool
		wantErr string
	}{
		{"", func(q Query) bool { return q.Q == "" && q.Page == 1 && q.PerPage == defaultPerPage && q.Sort == "" }, ""},
		{"q=+fire+&category=spell&category=item", func(q Query) bool {
			return q.Q == "fire" && reflect.DeepEqual(q.Facets[facetCategory], []string{"spell", "item"})
		}, ""},
		{"axis.fire=0.5-1", func(q Query) bool { return len(q.Axes) == 1 && q.Axes[0] == AxisRange{Axis: 0, Lo: 0.5, Hi: 1} }, ""},
		{"axis.fate=-0.2", func(q Query) bool { return q.Axes[0] == AxisRange{Axis: 15, Lo: 0, Hi: 0.2} }, ""},
		{"axis.mind=0.3-", func(q Query) bool { return q.Axes[0] == AxisRange{Axis: 12, Lo: 0.3, Hi: 1} }, ""},
		{"axis.fire=", func(q Query) bool { return len(q.Axes) == 0 }, ""},
		{"axis.heat=0-1", nil, "no such axis"},
		{"axis.fire=0.5", nil, "LO-HI"},
		{"axis.fire=0.9-0.1", nil, "low end first"},
		{"axis.fire=0-2", nil, "within 0-1"},
		{"axis.fire=a-1", nil, "not a number"},
		{"axis.fire=NaN-1", nil, "within 0-1"},
		{"flagged=yes", func(q Query) bool { return q.Facets[facetFlagged][0] == "yes" }, ""},
		{"flagged=FALSE", func(q Query) bool { return q.Facets[facetFlagged][0] == "no" }, ""},
		{"flagged=maybe", nil, "yes or no"},
		{"sort=-confidence", func(q Query) bool { return q.Sort == "confidence" && q.Desc }, ""},
		{"sort=axis.fire", func(q Query) bool { return q.Sort == "axis.fire" && !q.Desc }, ""},
		{"sort=-axis.heat", nil, "no such axis"},
		{"sort=price", nil, "sort by"},
		{"page=3&per_page=5000", func(q Query) bool { return q.Page == 3 && q.PerPage == maxPerPage }, ""},
		{"page=0", nil, "whole number"},
		{"per_page=x", nil, "whole number"},
		{"source=books%2FTome+A.pdf&mood=arcane&energy=force&intent=offensive", func(q Query) bool {
			return q.Facets[facetSource][0] == "books/Tome A.pdf" && q.Facets[facetMood][0] == "arcane"
		}, ""},
		{"unknown=1", func(q Query) bool { return true }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			v, err := url.ParseQuery(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			q, err := ParseQuery(v)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(q) {
				t.Fatalf("ParseQuery(%q) = %+v", tc.in, q)
			}
			// Values gives the query back.
			q2, err := ParseQuery(q.Values())
			if err != nil || !reflect.DeepEqual(q, q2) {
				t.Fatalf("round trip: %+v, %v; want %+v", q2, err, q)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	s, _ := newTestServer(t, false)
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"Overview", "<svg", "Terms per book", "books/Tome A.pdf", "pending review"}},
		{"/terms", 200, []string{"Fireball", "Frost Ray", "download"}},
		{"/terms?q=frost", 200, []string{"Frost Ray", "<b>1</b> terms"}},
		{"/terms?category=creature&flagged=yes", 200, []string{"Beholder", "Mind Flayer", "<b>2</b> terms"}},
		{"/terms?axis.fire=0.5-1", 200, []string{"Fireball", "<b>1</b> terms"}},
		{"/terms?sort=-axis.shadow&per_page=1", 200, []string{"Shadow Veil", "page 1 of"}},
		{"/terms?axis.heat=1", 400, []string{"no such axis"}},
		{"/terms/master-frost-ray", 200, []string{"Frost Ray", "<polygon", "books/Tome A.pdf", "p. 4, 9", "offline/test", "In the book, Frost Ray appears."}},
		{"/terms/nope", 404, []string{"no term with id"}},
		{"/review", 200, []string{`data-term="beholder"`, "<progress", "0 of 3 decided"}},
		{"/review?term=mind+flayer", 200, []string{`data-term="mind flayer"`}},
		{"/review?term=nothing", 404, nil},
		{"/api/summary", 200, []string{`"terms":`, `"pending":3`}},
		{"/api/terms?q=fire&category=spell", 200, []string{`"total":1`, `"fireball"`}},
		{"/api/terms?sort=bad", 400, []string{`"error"`}},
		{"/api/terms/master-frost-ray", 200, []string{`"contexts":[{"book":"books/Tome A.pdf"`}},
		{"/api/terms/nope", 404, []string{`"error"`}},
		{"/terms.json?q=frost", 200, []string{`"term_count": 1`, `"Frost Ray"`}},
		{"/terms.jsonl?category=spell", 200, []string{`"Frost Ray"`}},
		{"/terms.csv", 200, []string{"id,text,canonical"}},
		{"/static/app.js", 200, []string{"X-CSRF-Token"}},
		{"/static/app.css", 200, []string{"--accent"}},
		{"/nope", 404, nil},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			w := s.do(t, call{method: "GET", path: tc.path})
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			for _, want := range tc.want {
				if !strings.Contains(w.Body.String(), want) {
					t.Errorf("body lacks %q", want)
				}
			}
			if csp := w.Header().Get("Content-Security-Policy"); csp != ContentSecurityPolicy {
				t.Errorf("CSP = %q", csp)
			}
			if w.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff")
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	s, dir := newTestServer(t, false)
	ro, _ := newTestServer(t, true)
	tok := s.Token()
	ok := `{"term":"beholder","decision":"keep"}`
	tests := []struct {
		name   string
		srv    *Server
		c      call
		status int
		want   string
	}{
		{"no token", s, call{method: "POST", path: "/api/decisions", body: ok}, 403, "X-CSRF-Token"},
		{"wrong token", s, call{method: "POST", path: "/api/decisions", body: ok, header: map[string]string{"X-CSRF-Token": "x" + tok[1:]}}, 403, "X-CSRF-Token"},
		{"token of another server", s, call{method: "POST", path: "/api/apply", body: "{}", header: map[string]string{"X-CSRF-Token": ro.Token()}}, 403, "X-CSRF-Token"},
		{"forged host", s, call{method: "GET", path: "/api/summary", header: map[string]string{"Host": "attacker.example:8417"}}, 403, "Host"},
		{"forged host with token", s, call{method: "POST", path: "/api/decisions", body: ok, header: map[string]string{"Host": "rebind.example", "X-CSRF-Token": tok}}, 403, "Host"},
		{"other port", s, call{method: "GET", path: "/", header: map[string]string{"Host": "localhost:9999"}}, 403, "Host"},
		{"cross origin", s, call{method: "POST", path: "/api/decisions", body: ok, header: map[string]string{"X-CSRF-Token": tok, "Origin": "http://evil.example"}}, 403, "cross-origin"},
		{"cross site", s, call{method: "POST", path: "/api/decisions", body: ok, header: map[string]string{"X-CSRF-Token": tok, "Sec-Fetch-Site": "cross-site"}}, 403, "cross-site"},
		{"form body", s, call{method: "POST", path: "/api/decisions", body: "term=x", header: map[string]string{"X-CSRF-Token": tok, "Content-Type": "application/x-www-form-urlencoded"}}, 415, "JSON"},
		{"read-only decide", ro, call{method: "POST", path: "/api/decisions", body: ok, header: map[string]string{"X-CSRF-Token": ro.Token()}}, 403, "read-only"},
		{"read-only apply", ro, call{method: "POST", path: "/api/apply", body: "{}", header: map[string]string{"X-CSRF-Token": ro.Token()}}, 403, "read-only"},
		{"read-only undo", ro, call{method: "POST", path: "/api/undo", body: `{"term":"beholder"}`, header: map[string]string{"X-CSRF-Token": ro.Token()}}, 403, "read-only"},
		{"GET decisions", s, call{method: "GET", path: "/api/decisions"}, 404, ""},
		{"bad json", s, call{method: "POST", path: "/api/decisions", body: `{"term":`, header: map[string]string{"X-CSRF-Token": tok}}, 400, "JSON"},
		{"unknown field", s, call{method: "POST", path: "/api/decisions", body: `{"term":"beholder","decision":"keep","x":1}`, header: map[string]string{"X-CSRF-Token": tok}}, 400, "unknown field"},
		{"bad action", s, call{method: "POST", path: "/api/decisions", body: `{"term":"beholder","decision":"burn"}`, header: map[string]string{"X-CSRF-Token": tok}}, 400, "keep, remove or rename"},
		{"rename without text", s, call{method: "POST", path: "/api/decisions", body: `{"term":"beholder","decision":"rename"}`, header: map[string]string{"X-CSRF-Token": tok}}, 400, "new_text"},
		{"keep with text", s, call{method: "POST", path: "/api/decisions", body: `{"term":"beholder","decision":"keep","new_text":"x"}`, header: map[string]string{"X-CSRF-Token": tok}}, 400, "no new_text"},
		{"no term", s, call{method: "POST", path: "/api/decisions", body: `{"decision":"keep"}`, header: map[string]string{"X-CSRF-Token": tok}}, 400, "term is missing"},
		{"unknown term", s, call{method: "POST", path: "/api/decisions", body: `{"term":"nobody","decision":"keep"}`, header: map[string]string{"X-CSRF-Token": tok}}, 422, "not in the review queue"},
		{"undo without decision", s, call{method: "POST", path: "/api/undo", body: `{"term":"beholder"}`, header: map[string]string{"X-CSRF-Token": tok}}, 422, "no decision to undo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.srv.do(t, tc.c)
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.want) {
				t.Fatalf("status %d %s, want %d %q", w.Code, w.Body, tc.status, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, ipreview.DecisionsFile)); !os.IsNotExist(err) {
		t.Errorf("a refused request wrote the decisions file: %v", err)
	}
}

func TestHostsAllowed(t *testing.T) {
	s, err := New(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s.AllowAddr("127.0.0.1:8417")
	for host, want := range map[string]bool{
		"127.0.0.1:8417": true, "localhost:8417": true, "LOCALHOST:8417": true, "[::1]:8417": true,
		"localhost": false, "127.0.0.1:80": false, "evil.example:8417": false, "10.0.0.2:8417": false, "": false,
	} {
		if got := s.hostAllowed(host); got != want {
			t.Errorf("hostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
	all, _ := New(Options{Dir: t.TempDir()})
	all.AllowAddr("0.0.0.0:9000")
	for host, want := range map[string]bool{"10.0.0.2:9000": true, "[fe80::1]:9000": true, "evil.example:9000": false, "10.0.0.2:9001": false} {
		if got := all.hostAllowed(host); got != want {
			t.Errorf("all interfaces: hostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestHostileTextIsText: a term whose text is markup shows escaped on every
// page and never as an element.
func TestHostileTextIsText(t *testing.T) {
	s, _ := newTestServer(t, false)
	id := "master-img-src-x-onerror-alert-1"
	for _, path := range []string{"/", "/terms", "/terms?q=" + url.QueryEscape(servetest.Hostile), "/terms?category=item", "/terms/" + id} {
		w := s.do(t, call{method: "GET", path: path})
		body := w.Body.String()
		if strings.Contains(body, "<img") {
			t.Errorf("%s: hostile text inserted as markup", path)
		}
	}
	w := s.do(t, call{method: "GET", path: "/terms?category=item"})
	if !strings.Contains(w.Body.String(), "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("the hostile term is not shown as text:\n%s", w.Body)
	}
	if w := s.do(t, call{method: "GET", path: "/terms/" + id}); w.Code != 200 {
		t.Errorf("term page of the hostile term: %d", w.Code)
	}
}

func TestDecideUndoApply(t *testing.T) {
	s, dir := newTestServer(t, false)
	post := func(path, body string) map[string]any {
		t.Helper()
		w := s.do(t, call{method: "POST", path: path, body: body, header: map[string]string{"X-CSRF-Token": s.Token(), "Origin": "http://" + testHost}})
		if w.Code != 200 {
			t.Fatalf("%s %s: %d %s", path, body, w.Code, w.Body)
		}
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	post("/api/decisions", `{"term":"Beholder","decision":"remove","note":"not ours"}`)
	post("/api/decisions", `{"term":"beholder","decision":"keep"}`)
	post("/api/decisions", `{"term":"Bigby's Hand","decision":"rename","new_text":"Arcane Hand"}`)
	if w := s.do(t, call{method: "GET", path: "/review"}); !strings.Contains(w.Body.String(), "2 of 3 decided") {
		t.Errorf("progress not updated:\n%s", w.Body)
	}
	// Undo takes back the keep: the remove before it is current again.
	m := post("/api/undo", `{"term":"beholder"}`)
	if d, _ := m["decision"].(map[string]any); d["decision"] != "remove" {
		t.Errorf("undo restored %v, want the remove", m["decision"])
	}
	ds, err := ipreview.ReadDecisions(filepath.Join(dir, ipreview.DecisionsFile))
	if err != nil {
		t.Fatal(err)
	}
	if d := ds.Decisions["beholder"]; d.Action != ipreview.Remove || len(d.History) != 0 || d.Note != "not ours" {
		t.Errorf("beholder after undo: %+v", d)
	}
	m = post("/api/apply", `{}`)
	if !strings.Contains(m["message"].(string), "1 removed") {
		t.Errorf("apply: %v", m)
	}
	master, err := vocab.Read(filepath.Join(dir, vocab.MasterFile))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range master.Entries {
		texts = append(texts, e.Text)
	}
	got := strings.Join(texts, "|")
	if strings.Contains(got, "Beholder") || !strings.Contains(got, "Arcane Hand") {
		t.Errorf("master after apply: %s", got)
	}
	// The server shows the new master at once.
	if w := s.do(t, call{method: "GET", path: "/api/terms?q=arcane+hand"}); !strings.Contains(w.Body.String(), `"total":1`) {
		t.Errorf("the server did not reload after apply: %s", w.Body)
	}
}

// TestReloadsOnChange: a new master written by a batch shows without a restart.
func TestReloadsOnChange(t *testing.T) {
	s, dir := newTestServer(t, false)
	s.store.recheck = 0
	if w := s.do(t, call{method: "GET", path: "/api/terms?q=zzyzx"}); !strings.Contains(w.Body.String(), `"total":0`) {
		t.Fatal(w.Body)
	}
	terms := []vocab.Entry{{Term: servetest.Term("books/C.txt", "Zzyzx Ward", "zzyzx ward", "spell", 0.9, nil)}}
	m, err := vocab.Read(filepath.Join(dir, vocab.MasterFile))
	if err != nil {
		t.Fatal(err)
	}
	m.Entries = append(m.Entries, terms...)
	if err := vocab.Write(filepath.Join(dir, vocab.MasterFile), m); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Minute)
	_ = os.Chtimes(filepath.Join(dir, vocab.MasterFile), future, future)
	// The new master is read in the background; the old one answers meanwhile.
	deadline := time.Now().Add(10 * time.Second)
	for {
		w := s.do(t, call{method: "GET", path: "/api/terms?q=zzyzx"})
		if strings.Contains(w.Body.String(), `"total":1`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reload: %s", w.Body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestEmptyFolder(t *testing.T) {
	s, err := New(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s.AllowAddr(testHost)
	for _, p := range []string{"/", "/terms", "/review", "/api/summary", "/terms.csv"} {
		if w := s.do(t, call{method: "GET", path: p}); w.Code != 200 {
			t.Errorf("%s: %d %s", p, w.Code, w.Body)
		}
	}
	if w := s.do(t, call{method: "GET", path: "/"}); !strings.Contains(w.Body.String(), "No master.vocab.json here yet") {
		t.Error("the empty folder is not explained")
	}
}

func TestCSVSafe(t *testing.T) {
	s, _ := newTestServer(t, false)
	w := s.do(t, call{method: "GET", path: "/terms.csv"})
	body := w.Body.String()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || rows[0][0] != "id" || len(rows[0]) != 32 {
		t.Fatalf("header %v", rows[0])
	}
	for _, r := range rows[1:] {
		for i, c := range r {
			if i == 7 || i == 8 || i >= 16 || i == 13 { // numbers
				continue
			}
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("formula cell %q in row %v", c, r)
			}
		}
	}
	if !strings.Contains(body, `'=HYPERLINK`) {
		t.Error("the formula term is not neutralised")
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "+x": "'+x", "-x": "'-x", "@x": "'@x", "\tx": "'\tx", "x=": "x=", "": ""} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestServeShutsDown(t *testing.T) {
	s, _ := newTestServer(t, true)
	ln, err := netListen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/api/summary")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
}

// TestEntriesWithoutIDs: a 1.0 master whose entries lack ids (or repeat
// one) still links every term to its page.
func TestEntriesWithoutIDs(t *testing.T) {
	dir := t.TempDir()
	a := servetest.Term("a.txt", "Storm Crown", "storm crown", "item", 0.7, nil)
	b := servetest.Term("a.txt", "Ember Gate", "ember gate", "location", 0.7, nil)
	c := servetest.Term("a.txt", "Ash Hound", "ash hound", "creature", 0.7, nil)
	a.ID, b.ID, c.ID = "", "dup", "dup"
	f := &vocab.File{Metadata: vocab.Metadata{SchemaVersion: "1.0"}, Entries: []vocab.Entry{{Term: a}, {Term: b}, {Term: c}}}
	if err := vocab.Write(filepath.Join(dir, vocab.MasterFile), f); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s.AllowAddr(testHost)
	body := s.do(t, call{method: "GET", path: "/terms"}).Body.String()
	for href, text := range map[string]string{"/terms/n0": "Storm Crown", "/terms/dup": "Ember Gate", "/terms/n2": "Ash Hound"} {
		if !strings.Contains(body, `href="`+href+`"`) {
			t.Errorf("/terms lacks a link to %s", href)
		}
		if w := s.do(t, call{method: "GET", path: href}); w.Code != 200 || !strings.Contains(w.Body.String(), "<h1>"+text+"</h1>") {
			t.Errorf("%s: %d, want the page of %s", href, w.Code, text)
		}
	}
	if w := s.do(t, call{method: "GET", path: "/terms/n1"}); w.Code != 404 {
		t.Errorf("/terms/n1 (an entry with its own id): %d, want 404", w.Code)
	}
}

// TestDecisionKeepsTheIndex: a decision changes the queue and the decisions
// file, not the master, so the next answer reuses the vocabulary already
// read (a 100,000-term master takes seconds to read).
func TestDecisionKeepsTheIndex(t *testing.T) {
	s, _ := newTestServer(t, false)
	before, err := s.store.get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w := s.do(t, call{method: "POST", path: "/api/decisions", body: `{"term":"beholder","decision":"keep"}`, header: map[string]string{"X-CSRF-Token": s.Token()}})
	if w.Code != 200 {
		t.Fatal(w.Code, w.Body)
	}
	after, err := s.store.get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if after == before || after.decisions["beholder"].Action != ipreview.Keep {
		t.Fatal("the decision was not read")
	}
	if after.vocabData != before.vocabData {
		t.Error("the master was read again for a decision")
	}
}

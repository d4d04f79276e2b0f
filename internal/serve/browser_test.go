package serve

// A real browser (Debian's chromium, driven by chromedp) reviews three cards
// by keyboard, undoes one, applies, and loads a page with a term whose text
// is markup. Without chromium the test skips, unless CI=true, where a
// missing browser is a failure (.ci/run installs it).

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/serve/servetest"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// findChromium returns the browser to drive, or skips (fails under CI).
func findChromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	for _, name := range []string{os.Getenv("CORPORA_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found: CI needs it for the browser tests (apt-get install chromium; .ci/run does)")
	}
	t.Skip("chromium not found: browser tests skipped (apt-get install chromium, or set CORPORA_CHROMIUM)")
	return ""
}

// browse starts the server on a free loopback port and a headless browser.
func browse(t *testing.T, readOnly bool) (ctx context.Context, base, dir string, dialogs *atomic.Int32) {
	t.Helper()
	exe := findChromium(t)
	s, dir := newTestServer(t, readOnly)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(sctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // tests run as root in CI containers
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelB(); cancelA() })
	dialogs = &atomic.Int32{}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	opened := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range opened {
			if err != nil {
				return
			}
			dialogs.Add(1)
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return ctx, "http://" + ln.Addr().String(), dir, dialogs
}

// card is the review card of term, once the page's keys work.
func card(term string) chromedp.CSS {
	return chromedp.CSS(`body[data-ready] #card[data-term="` + term + `"]`)
}

// lastCard is the review page's last card, once the page's keys work.
var lastCard = chromedp.CSS("body[data-ready] .card.done")

func TestBrowserReviewByKeyboard(t *testing.T) {
	ctx, base, dir, dialogs := browse(t, false)
	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(30*time.Second))
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/review"),
		chromedp.WaitVisible(card("beholder")),
		chromedp.SendKeys(chromedp.CSS("#note"), "our own eye tyrant"),
		chromedp.Blur(chromedp.CSS("#note")),
		chromedp.KeyEvent("k"),
		chromedp.WaitVisible(card("Bigby's Hand")),
		chromedp.KeyEvent("n"),
		chromedp.WaitVisible(chromedp.CSS("#rename-input")),
		chromedp.SetValue(chromedp.CSS("#rename-input"), "Arcane Hand"),
		chromedp.Focus(chromedp.CSS("#rename-input")),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(card("mind flayer")),
		chromedp.KeyEvent("r"),
		chromedp.WaitVisible(lastCard),
		// u takes back the remove: the card is pending again.
		chromedp.KeyEvent("u"),
		chromedp.WaitVisible(card("mind flayer")),
	)
	if err != nil {
		t.Fatal(err)
	}
	progress, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#progress-text")))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.KeyEvent("r"),
		chromedp.WaitVisible(lastCard),
		chromedp.Click(chromedp.CSS("#apply")),
		poll(`document.getElementById("status").textContent.startsWith("applied")`),
	)
	if err != nil {
		t.Fatal(err)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress, "2 of 3 decided") {
		t.Errorf("progress after undo: %q", progress)
	}
	if !strings.Contains(status, "1 removed, 1 kept, 1 renamed") {
		t.Errorf("apply status %q", status)
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d dialogs opened", n)
	}
	ds, err := ipreview.ReadDecisions(filepath.Join(dir, ipreview.DecisionsFile))
	if err != nil {
		t.Fatal(err)
	}
	if n := ds.Decisions["beholder"].Note; n != "our own eye tyrant" {
		t.Errorf("the note typed on the card: %q", n)
	}
	want := map[string]string{"beholder": "keep", "Bigby's Hand": "rename Arcane Hand", "mind flayer": "remove"}
	for term, w := range want {
		d := ds.Decisions[term]
		got := strings.TrimSpace(string(d.Action) + " " + d.NewText)
		if got != w {
			t.Errorf("decision for %q: %q, want %q", term, got, w)
		}
	}
	if len(ds.Decisions) != 3 {
		t.Errorf("%d decisions, want 3", len(ds.Decisions))
	}
	m, err := vocab.Read(filepath.Join(dir, vocab.MasterFile))
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]*vocab.Entry{}
	for i := range m.Entries {
		texts[m.Entries[i].Text] = &m.Entries[i]
	}
	if _, ok := texts["Mind Flayer"]; ok {
		t.Error("the removed term is still in the master")
	}
	if e := texts["Arcane Hand"]; e == nil || e.OldText != "" { // the protected name ships nowhere
		t.Errorf("the renamed term: %+v", e)
	}
	if e := texts["Beholder"]; e == nil || e.IPFlag != nil || e.Review == nil || e.Review.Decision != "keep" {
		t.Errorf("the kept term: %+v", e)
	}
}

// TestBrowserHostileText: markup in a term's text shows as text on every
// page and runs nothing.
func TestBrowserHostileText(t *testing.T) {
	ctx, base, _, dialogs := browse(t, true)
	// Count the page's Content-Security-Policy violations (a style
	// attribute, an inline script): the pages must need none.
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", function (e) { window.__csp.push(e.violatedDirective + " " + e.blockedURI); });`,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/review", "/terms?category=item", "/terms/master-img-src-x-onerror-alert-1", "/terms?q=" + strings.ReplaceAll(servetest.Hostile, " ", "+")} {
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+path),
			chromedp.WaitReady(chromedp.CSS("body")),
			chromedp.Sleep(200*time.Millisecond),
		)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		imgs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("img").length`))
		if err != nil {
			t.Fatal(err)
		}
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		if err != nil {
			t.Fatal(err)
		}
		csp, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
		if err != nil {
			t.Fatal(err)
		}
		if len(csp) != 0 {
			t.Errorf("%s: Content-Security-Policy violations: %v", path, csp)
		}
		if imgs != 0 {
			t.Errorf("%s: %d img elements", path, imgs)
		}
		if path != "/" && path != "/review" && !strings.Contains(text, servetest.Hostile) {
			t.Errorf("%s: the term's text is not shown as text", path)
		}
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("script ran: %d dialogs", n)
	}
	// Read-only: the keys change nothing.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/review"),
		chromedp.WaitVisible(card("beholder")),
		chromedp.KeyEvent("r"),
		chromedp.Poll[chromedp.Void](`document.getElementById("status").textContent.length > 0`, chromedp.WithPollingTimeout(10*time.Second)),
	)
	if err != nil {
		t.Fatal(err)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(status, "read-only") {
		t.Errorf("read-only status %q", status)
	}
}

package serve

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Reviewer records review decisions and applies them exactly as `corpora
// review decide` and `corpora review apply` do. The command line passes its
// own implementation in, so the browser and the terminal share one code
// path and this package does not depend on the command line.
type Reviewer interface {
	// Decide records d for the term the user named (its text, canonical
	// form or a variant) in dir's decisions file, under its lock.
	Decide(ctx context.Context, dir, term string, d Decision) error
	// Apply applies dir's decisions to its master and regenerates the
	// review queue; it returns the one-line summary the terminal prints.
	Apply(ctx context.Context, dir string) (string, error)
}

// Decision is a decision as the API receives it.
type Decision struct {
	Term     string `json:"term"`
	Decision string `json:"decision"`
	NewText  string `json:"new_text"`
	Note     string `json:"note"`
}

// ErrRefused marks a Reviewer error caused by the request (an unknown term,
// a decision that cannot be recorded): the API answers 422 with its text.
var ErrRefused = errors.New("refused")

// Options configure a Server.
type Options struct {
	Dir      string // the output folder
	ReadOnly bool   // refuse every change
	Review   Reviewer
	// Log receives one line per failed request (may be nil).
	Log io.Writer
	// Now is the clock for decision times (default time.Now).
	Now func() time.Time
}

// Server serves one output folder.
type Server struct {
	opts  Options
	store *store
	token string
	pages map[string]*template.Template
	mux   *http.ServeMux
	// writeMu serialises the server's own writes (decide, undo, apply).
	writeMu sync.Mutex

	hostMu sync.RWMutex
	hosts  map[string]bool // Host header values accepted
	anyIP  string          // when bound to all interfaces: the port any IP literal may use
}

// New builds a server for opts.Dir.
func New(opts Options) (*Server, error) {
	if opts.Dir == "" {
		opts.Dir = "."
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Review == nil {
		opts.ReadOnly = true
	}
	tok := make([]byte, 32)
	if _, err := rand.Read(tok); err != nil {
		return nil, fmt.Errorf("csrf token: %w", err)
	}
	s := &Server{opts: opts, store: newStore(opts.Dir), token: hex.EncodeToString(tok), hosts: map[string]bool{}}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	m.HandleFunc("GET /{$}", s.page(s.overview))
	m.HandleFunc("GET /terms", s.page(s.termsPage))
	m.HandleFunc("GET /terms/{id}", s.page(s.termPage))
	m.HandleFunc("GET /review", s.page(s.reviewPage))
	m.HandleFunc("GET /terms.json", s.download("json"))
	m.HandleFunc("GET /terms.jsonl", s.download("jsonl"))
	m.HandleFunc("GET /terms.csv", s.download("csv"))
	m.HandleFunc("GET /api/summary", s.apiSummary)
	m.HandleFunc("GET /api/terms", s.apiTerms)
	m.HandleFunc("GET /api/terms/{id}", s.apiTerm)
	m.HandleFunc("POST /api/decisions", s.write(s.apiDecide))
	m.HandleFunc("POST /api/undo", s.write(s.apiUndo))
	m.HandleFunc("POST /api/apply", s.write(s.apiApply))
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "no such page")
	})
	s.mux = m
}

// cacheStatic lets the browser keep the embedded assets for a while.
func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		h.ServeHTTP(w, r)
	})
}

// ContentSecurityPolicy allows nothing but the server's own scripts,
// styles and images: no inline script, no external asset, no framing.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Handler is the server's http.Handler: every route behind the security
// checks (Host, headers).
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if !s.hostAllowed(r.Host) {
			// DNS rebinding: a page of another site, resolved to this
			// machine, must not read or change anything.
			s.fail(w, r, http.StatusForbidden, "this server answers only to its own address or localhost, not to Host "+r.Host)
			return
		}
		s.mux.ServeHTTP(w, r)
	})
}

// AllowAddr makes the server answer to the listening address addr
// (host:port): that address itself, localhost and the loopback addresses on
// its port, and, when addr is all interfaces, any IP address on its port.
// Host names other than localhost are never accepted (DNS rebinding).
func (s *Server) AllowAddr(addr string) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return
	}
	s.hostMu.Lock()
	defer s.hostMu.Unlock()
	for _, h := range []string{host, "localhost", "127.0.0.1", "::1"} {
		s.hosts[net.JoinHostPort(h, port)] = true
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		s.anyIP = port
	}
}

func (s *Server) hostAllowed(hostport string) bool {
	s.hostMu.RLock()
	defer s.hostMu.RUnlock()
	if s.hosts[strings.ToLower(hostport)] {
		return true
	}
	if s.anyIP != "" {
		host, port, err := net.SplitHostPort(hostport)
		if err == nil && port == s.anyIP && net.ParseIP(strings.Trim(host, "[]")) != nil {
			return true
		}
	}
	return false
}

// Serve answers requests on ln until ctx ends, then shuts down gracefully
// (in-flight requests get a few seconds to finish).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.AllowAddr(ln.Addr().String())
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// write guards a state-changing handler: refused in read-only mode, without
// the page's CSRF token, from another origin, or with a body that is not JSON.
func (s *Server) write(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.opts.ReadOnly {
			s.fail(w, r, http.StatusForbidden, "read-only: this server was started with --read-only")
			return
		}
		got := r.Header.Get("X-CSRF-Token")
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) != 1 {
			s.fail(w, r, http.StatusForbidden, "missing or wrong X-CSRF-Token: reload the page")
			return
		}
		if o := r.Header.Get("Origin"); o != "" && o != "null" && !s.sameOrigin(o, r.Host) {
			s.fail(w, r, http.StatusForbidden, "cross-origin request refused")
			return
		}
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			s.fail(w, r, http.StatusForbidden, "cross-site request refused")
			return
		}
		if ct := r.Header.Get("Content-Type"); r.ContentLength != 0 && !strings.HasPrefix(ct, "application/json") {
			s.fail(w, r, http.StatusUnsupportedMediaType, "send JSON (Content-Type: application/json)")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
		defer s.store.invalidate()
		h(w, r)
	}
}

func (s *Server) sameOrigin(origin, host string) bool {
	o := strings.TrimPrefix(strings.TrimPrefix(origin, "http://"), "https://")
	return strings.EqualFold(o, host)
}

// Token is the CSRF token the pages carry (for tests).
func (s *Server) Token() string { return s.token }

// Package testenv isolates a test binary from the machine it runs on: each
// run gets its own, empty user cache folder, so no test depends on what an
// earlier run (or the user's own corpora) left in ~/.cache, and no test
// writes there. It is imported by tests only.
package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Main runs m with a fresh user cache folder (XDG_CACHE_HOME on Unix,
// LocalAppData on Windows, HOME on macOS) and removes it afterwards; use it
// as the body of TestMain:
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
//
// The Go build cache keeps its place: GOCACHE is pinned to where it was, so
// a test that runs `go build` stays warm.
func Main(m *testing.M) {
	cleanup, err := Isolate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv:", err)
		os.Exit(2)
	}
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// Isolate points the user cache folder at a new temporary folder for the
// rest of the process, and returns the function that removes it. Callers
// with their own TestMain call it before m.Run.
func Isolate() (cleanup func(), err error) {
	if os.Getenv("GOCACHE") == "" {
		if base, err := os.UserCacheDir(); err == nil {
			os.Setenv("GOCACHE", filepath.Join(base, "go-build"))
		}
	}
	dir, err := os.MkdirTemp("", "corpora-test-cache-")
	if err != nil {
		return nil, fmt.Errorf("user cache for tests: %w", err)
	}
	switch runtime.GOOS {
	case "windows":
		os.Setenv("LocalAppData", dir)
	case "darwin", "ios", "plan9":
		os.Setenv("HOME", dir) // os.UserCacheDir: $HOME/Library/Caches, $home/lib/cache
	default:
		os.Setenv("XDG_CACHE_HOME", dir)
	}
	return func() { os.RemoveAll(dir) }, nil
}

// CacheDir returns the user cache folder the process sees now, failing the
// test when there is none.
func CacheDir(t testing.TB) string {
	t.Helper()
	dir, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

package parse

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/document"
)

// TestReadOpenFIFO: a FIFO swapped in after the first look is refused at
// once: the open does not wait for a writer.
func TestReadOpenFIFO(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs on Windows")
	}
	path := filepath.Join(t.TempDir(), "book.epub")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := readOpen(path, 1<<20)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, document.ErrUnsupported) {
			t.Fatalf("got %v, want ErrUnsupported", err)
		}
	case <-time.After(5 * time.Second):
		// Unblock the open so the goroutine ends.
		if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		t.Fatal("opening a FIFO blocked")
	}
}

// TestReadOpen: regular files are read; folders and files over the limit
// are refused.
func TestReadOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(path, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := readOpen(path, 100); err != nil || string(got) != "hello" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := readOpen(path, 3); !errors.Is(err, document.ErrLimit) {
		t.Errorf("over the limit: got %v", err)
	}
	if _, err := readOpen(dir, 100); err == nil {
		t.Error("a folder was read")
	}
}

//go:build unix

package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWriteThroughSymlink: the link stays a link, its target gets the bytes,
// through relative links, chains of links, and a link whose target does not
// exist yet.
func TestWriteThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		setup  func() (link, target string)
		before string
	}{
		{"absolute link to a file", func() (string, string) {
			target := filepath.Join(other, "a.json")
			os.WriteFile(target, []byte("old"), 0o644)
			link := filepath.Join(dir, "a-link")
			os.Symlink(target, link)
			return link, target
		}, "old"},
		{"relative link into another folder", func() (string, string) {
			target := filepath.Join(other, "b.json")
			os.WriteFile(target, []byte("old"), 0o644)
			link := filepath.Join(dir, "b-link")
			os.Symlink(filepath.Join("other", "b.json"), link)
			return link, target
		}, "old"},
		{"chain of two links", func() (string, string) {
			target := filepath.Join(other, "c.json")
			os.WriteFile(target, []byte("old"), 0o644)
			mid := filepath.Join(other, "c-mid")
			os.Symlink("c.json", mid)
			link := filepath.Join(dir, "c-link")
			os.Symlink(mid, link)
			return link, target
		}, "old"},
		{"dangling link", func() (string, string) {
			target := filepath.Join(other, "d.json")
			link := filepath.Join(dir, "d-link")
			os.Symlink(target, link)
			return link, target
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			link, target := c.setup()
			if err := WriteFile(link, []byte("new"), 0o644); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Lstat(link)
			if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
				t.Fatalf("%s is no longer a symlink (%v, %v)", link, fi.Mode(), err)
			}
			if got, _ := os.ReadFile(target); string(got) != "new" {
				t.Errorf("target holds %q, want %q", got, "new")
			}
			assertNoTemps(t, dir)
			assertNoTemps(t, other)
		})
	}
}

func TestSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.Symlink(b, a)
	os.Symlink(a, b)
	err := WriteFile(a, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "symbolic links") {
		t.Fatalf("err = %v, want a symlink loop error", err)
	}
	if fi, _ := os.Lstat(a); fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("loop link replaced")
	}
}

// TestWriteFIFO: a named pipe stays a pipe and its reader gets the bytes.
func TestWriteFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(p)
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	if err := WriteFile(p, []byte("through the pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s != "through the pipe" {
			t.Errorf("reader got %q", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reader got nothing")
	}
	if fi, _ := os.Lstat(p); fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced by a %v", fi.Mode())
	}
	if k := Kind(p); k != "fifo" {
		t.Errorf("Kind = %q", k)
	}
}

// TestWriteSocket: a Unix socket's listener gets the bytes.
func TestWriteSocket(t *testing.T) {
	dir, err := os.MkdirTemp("", "sock") // short: socket paths are limited to about 100 bytes
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "s")
	l, err := net.Listen("unix", p)
	if err != nil {
		t.Skipf("listen: %v", err)
	}
	defer l.Close()
	got := make(chan string, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(c)
		c.Close()
		got <- string(b)
	}()
	if err := WriteFile(p, []byte("to the socket"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "to the socket" {
		t.Errorf("listener got %q", s)
	}
	if fi, _ := os.Lstat(p); fi.Mode()&fs.ModeSocket == 0 {
		t.Errorf("the socket was replaced by a %v", fi.Mode())
	}
}

// TestWriteDevice: /dev/null stays a character device (run as root, the old
// code turned it into a regular file for the whole machine), and /dev/full
// reports a full disk instead of being replaced.
func TestWriteDevice(t *testing.T) {
	for _, dev := range []string{"/dev/null", "/dev/full"} {
		fi, err := os.Stat(dev)
		if err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
			t.Skipf("%s: not a character device here", dev)
		}
	}
	if err := WriteFile("/dev/null", []byte("discarded"), 0o644); err != nil {
		t.Errorf("/dev/null: %v", err)
	}
	err := WriteFile("/dev/full", []byte("no room"), 0o644)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("/dev/full: err = %v, want ENOSPC", err)
	}
	for _, dev := range []string{"/dev/null", "/dev/full"} {
		if fi, _ := os.Lstat(dev); fi.Mode()&fs.ModeCharDevice == 0 {
			t.Fatalf("%s is no longer a character device: %v", dev, fi.Mode())
		}
		if k := Kind(dev); k != "device" {
			t.Errorf("Kind(%s) = %q", dev, k)
		}
	}
	assertNoTemps(t, "/dev")
}

// TestWriteDeviceThroughSymlink: /dev/stdout-like links to a device write
// to the device and keep the link.
func TestWriteDeviceThroughSymlink(t *testing.T) {
	link := filepath.Join(t.TempDir(), "null-link")
	if err := os.Symlink("/dev/null", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("link replaced")
	}
	if k := Kind(link); k != "symlink to device" {
		t.Errorf("Kind = %q", k)
	}
}

func TestWriteFolderRefused(t *testing.T) {
	dir := t.TempDir()
	err := WriteFile(dir, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Fatalf("err = %v, want 'is a folder'", err)
	}
}

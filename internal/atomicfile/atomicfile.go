package atomicfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// TempPrefix starts the name of every temporary file this package creates.
const TempPrefix = ".corpora-tmp-"

// WriteFile writes data to path as Write does, creating parent folders as needed.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write writes whatever fill writes to path, in the way the kind of thing
// at path calls for; it is the one place that decides this for every
// output corpora writes (-o, -m, review files, manifests):
//
//   - a regular file, or a path where nothing is yet, is replaced
//     atomically: a temporary file in the same folder, fsync, rename. If
//     fill fails, the destination is untouched and the temporary file
//     removed.
//   - a symbolic link is followed (through every hop, even to a target that
//     does not exist yet) and its target is written as above; the link
//     itself stays.
//   - a character device, named pipe (FIFO) or Unix socket is written in
//     place: /dev/null stays a device, a FIFO's reader gets the bytes.
//   - a folder is an error.
//
// Standard output ("-") is the caller's: it alone knows its stdout.
func Write(path string, perm os.FileMode, fill func(w io.Writer) error) (err error) {
	target, err := resolve(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	info, statErr := os.Stat(target)
	switch {
	case statErr != nil && !errors.Is(statErr, fs.ErrNotExist):
		return fmt.Errorf("write %s: %w", path, statErr)
	case statErr != nil:
		return replace(path, target, perm, fill)
	case info.IsDir():
		return fmt.Errorf("write %s: is a folder", path)
	case info.Mode()&fs.ModeSocket != 0:
		return writeSocket(path, target, fill)
	case info.Mode()&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) != 0:
		return writeInPlace(path, target, fill)
	}
	return replace(path, target, perm, fill)
}

// Kind names what is at path, as Write sees it: "new", "file", "symlink to
// <kind>", "device", "fifo", "socket" or "folder". It is for messages and
// tests.
func Kind(path string) string {
	link := ""
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		link = "symlink to "
	}
	target, err := resolve(path)
	if err != nil {
		return "unresolvable"
	}
	fi, err := os.Stat(target)
	switch {
	case err != nil:
		return link + "new"
	case fi.IsDir():
		return link + "folder"
	case fi.Mode()&fs.ModeSocket != 0:
		return link + "socket"
	case fi.Mode()&fs.ModeNamedPipe != 0:
		return link + "fifo"
	case fi.Mode()&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return link + "device"
	}
	return link + "file"
}

// maxLinkHops bounds symlink resolution, as the kernel does (ELOOP at 40).
const maxLinkHops = 40

// resolve follows path through its symbolic links to the file a write
// must replace; unlike filepath.EvalSymlinks it also resolves a link whose
// target does not exist yet (the file the write will create).
func resolve(path string) (string, error) {
	p := path
	for range maxLinkHops {
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = dest
	}
	return "", fmt.Errorf("too many levels of symbolic links")
}

// replace writes target atomically; path is the name the user gave, for
// messages.
func replace(path, target string, perm os.FileMode, fill func(w io.Writer) error) (err error) {
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create folder for %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, TempPrefix+filepath.Base(target)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = fill(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp, target); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// writeInPlace writes to a device or FIFO as it is: no truncation, no
// rename. Opening a FIFO waits for its reader, as a shell redirection does.
func writeInPlace(path, target string, fill func(w io.Writer) error) error {
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := fill(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeSocket sends the bytes to the listener of a Unix stream socket.
func writeSocket(path, target string, fill func(w io.Writer) error) error {
	c, err := net.Dial("unix", target)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := fill(c); err != nil {
		c.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := c.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// MarshalJSON encodes v the way every corpora JSON file is written: two-space
// indentation, no HTML escaping, a trailing newline.
func MarshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteJSON atomically writes v as corpora JSON to path.
func WriteJSON(path string, v any) error {
	data, err := MarshalJSON(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return WriteFile(path, data, 0o644)
}

// CleanStale removes temporary files older than age left in dir by killed
// processes. It is not recursive and ignores errors: a leftover temp file is
// harmless, only untidy.
func CleanStale(dir string, age time.Duration) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() || !strings.HasPrefix(e.Name(), TempPrefix) {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < age {
			continue
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}

func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync() // best effort: some filesystems refuse to sync a directory
	d.Close()
}

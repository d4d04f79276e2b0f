package cli

import (
	"strings"

	"github.com/corpora-tools/corpora/internal/atomicfile"
)

// writeOutput writes data where the user pointed -o: standard output for
// "" or "-", anything else through atomicfile.WriteFile, which decides by
// what is at the path (a file or new path replaced atomically, a symlink's
// target replaced with the link kept, a device, FIFO or socket written in
// place).
func writeOutput(s *Streams, path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := s.Out.Write(data)
		return stdoutErr(err)
	}
	if err := atomicfile.WriteFile(path, data, 0o644); err != nil {
		return writeError{err}
	}
	return nil
}

// isStream reports whether path is standard output or a device, FIFO or
// socket (directly or through a symlink): output that is a stream, next to
// which no sibling file (a review queue) belongs.
func isStream(path string) bool {
	if path == "" || path == "-" {
		return true
	}
	k := strings.TrimPrefix(atomicfile.Kind(path), "symlink to ")
	return k == "device" || k == "fifo" || k == "socket"
}

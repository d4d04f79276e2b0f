//go:build unix

package batch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"
)

// lockDir takes an exclusive lock on dir's lock file so that two batch runs
// never write the same output folder at once.
func lockDir(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := io.ReadAll(io.LimitReader(f, 200))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			if h := strings.TrimSpace(string(holder)); h != "" {
				return nil, fmt.Errorf("%w: held by %s (%s)", ErrLocked, h, path)
			}
			return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
		}
		return nil, err
	}
	// Say who holds it, for a run that is refused: "pid 4242, since
	// 2026-12-06T15:04:05Z". The lock is the flock, not this text.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(fmt.Sprintf("pid %d, since %s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339))), 0)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

package ipreview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FolderLockName is the lock file of an output folder: the one `corpora
// batch` takes (batch.LockName), so that batch, consolidate, review and
// output never write the same folder at once.
const FolderLockName = ".corpora-batch.lock"

// ErrFolderLocked is returned by LockFolder when another corpora command
// holds the folder's lock.
var ErrFolderLocked = errors.New("another corpora command is writing this output folder")

// LockFolder takes the exclusive lock of the output folder dir for the
// command named what ("review apply"), waiting up to wait for a holder to
// finish. The lock file then says who holds it ("pid 4242, since
// 2026-12-06T15:04:05Z (corpora review apply)"); a refused caller gets
// ErrFolderLocked with that line. Call unlock when done.
func LockFolder(ctx context.Context, dir, what string, wait time.Duration) (unlockFn func(), err error) {
	lp := filepath.Join(dir, FolderLockName)
	f, err := os.OpenFile(lp, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lp, err)
	}
	deadline := time.Now().Add(wait)
	for {
		busy, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", lp, err)
		}
		if !busy {
			break
		}
		if time.Now().After(deadline) {
			holder, _ := io.ReadAll(io.LimitReader(f, 200))
			f.Close()
			if h := strings.TrimSpace(string(holder)); h != "" {
				return nil, fmt.Errorf("%w: held by %s (%s)", ErrFolderLocked, h, lp)
			}
			return nil, fmt.Errorf("%w (%s)", ErrFolderLocked, lp)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", lp, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(fmt.Sprintf("pid %d, since %s (corpora %s)\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339), what)), 0)
	}
	return func() { unlock(f); f.Close() }, nil
}

package ipreview

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// lockPollInterval is how often a waiting LockDecisions tries again.
const lockPollInterval = 10 * time.Millisecond

// LockPath is the lock file guarding the decisions file at path: a hidden
// file next to it (the decisions file itself is replaced on every write,
// so it cannot carry the lock).
func LockPath(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".lock")
}

// LockDecisions takes an exclusive lock (flock on unix) for the decisions
// file at path, waiting until any other holder releases it or ctx ends.
// Hold it across a read-modify-write of the file; call unlock when done.
func LockDecisions(ctx context.Context, path string) (unlockFn func(), err error) {
	lp := LockPath(path)
	f, err := os.OpenFile(lp, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lp, err)
	}
	for {
		busy, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", lp, err)
		}
		if !busy {
			return func() { unlock(f); f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", lp, ctx.Err())
		case <-time.After(lockPollInterval):
		}
	}
}

// UpdateDecisions reads the decisions file at path under LockDecisions,
// lets fn change them, and writes them back atomically before unlocking,
// so that concurrent updates never lose one another. Nothing is written
// when fn fails.
func UpdateDecisions(ctx context.Context, path string, fn func(*Decisions) error) error {
	unlockFn, err := LockDecisions(ctx, path)
	if err != nil {
		return err
	}
	defer unlockFn()
	ds, err := ReadDecisions(path)
	if err != nil {
		return err
	}
	if err := fn(ds); err != nil {
		return err
	}
	if err := ds.Write(path); err != nil {
		return fmt.Errorf("decisions %s: %w", path, err)
	}
	return nil
}

package ipreview

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Concurrent read-modify-writes of the decisions file, each through its own
// open of the lock file (as two processes would), lose no update.
func TestUpdateDecisionsConcurrent(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no flock here")
	}
	path := filepath.Join(t.TempDir(), DecisionsFile)
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- UpdateDecisions(context.Background(), path, func(ds *Decisions) error {
				// Widen the window between read and write.
				time.Sleep(5 * time.Millisecond)
				return ds.Record(fmt.Sprintf("term %d", i), Decision{Action: Keep, DecidedAt: "2026-01-01T00:00:00Z"})
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ds, err := ReadDecisions(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Decisions) != n {
		t.Errorf("%d decisions kept, want %d: updates were lost", len(ds.Decisions), n)
	}
}

func TestLockDecisionsWaitsAndHonoursContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), DecisionsFile)
	unlock, err := LockDecisions(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if runtime.GOOS != "windows" && runtime.GOOS != "plan9" {
		if _, err := LockDecisions(ctx, path); err == nil {
			t.Error("a second lock was granted while the first was held")
		}
	}
	unlock()
	u2, err := LockDecisions(context.Background(), path)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	u2()
}

func TestUpdateDecisionsFailureWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), DecisionsFile)
	err := UpdateDecisions(context.Background(), path, func(ds *Decisions) error {
		ds.Record("x", Decision{Action: Remove})
		return fmt.Errorf("no")
	})
	if err == nil {
		t.Fatal("no error")
	}
	ds, _ := ReadDecisions(path)
	if len(ds.Decisions) != 0 {
		t.Error("a failed update was written")
	}
}

func TestLockFolderRefusesASecondHolder(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockFolder(context.Background(), dir, "review apply", 0)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "windows" {
		unlock()
		t.Skip("no flock")
	}
	_, err = LockFolder(context.Background(), dir, "consolidate", 100*time.Millisecond)
	if !errors.Is(err, ErrFolderLocked) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d, since ", os.Getpid())) || !strings.Contains(err.Error(), "(corpora review apply)") {
		t.Fatalf("second lock: %v", err)
	}
	unlock()
	again, err := LockFolder(context.Background(), dir, "consolidate", 0)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	again()
}

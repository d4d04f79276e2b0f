package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// folderLockWait is how long a command waits for another one writing the
// same output folder: long enough for a quick `review decide` or `apply`
// running beside it, far shorter than a batch.
const folderLockWait = 3 * time.Second

// lockOutputDir takes the output folder's lock (the one batch takes) for
// the command what. A folder held by another run gives one line naming
// the holder's pid and start time, and exit 75 (try again later). A folder
// that does not exist is not locked: the command reports it.
func lockOutputDir(ctx context.Context, dir, what string) (func(), error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return func() {}, nil
	}
	unlock, err := ipreview.LockFolder(ctx, dir, what, folderLockWait)
	switch {
	case err == nil:
		return unlock, nil
	case errors.Is(err, ipreview.ErrFolderLocked):
		return nil, exitf(ExitPartial, "%s: %v; try again when it has finished", what, err)
	case errors.Is(err, context.Canceled):
		return nil, err
	}
	// A folder we cannot lock (read-only) fails later, where it is written.
	return func() {}, nil
}

// isOutputFolder reports whether dir is a corpora output folder: it has a
// master vocabulary or the lock file a batch or another command left.
func isOutputFolder(dir string) bool {
	for _, name := range []string{vocab.MasterFile, ipreview.FolderLockName} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

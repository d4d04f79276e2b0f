//go:build !unix

package batch

import "os"

// lockDir creates the lock file; without flock, concurrent runs are not
// detected on this platform.
func lockDir(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	return func() { f.Close() }, nil
}

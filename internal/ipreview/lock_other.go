//go:build !unix

package ipreview

import "os"

// tryLock has no flock on this platform: concurrent writers are not
// serialised here.
func tryLock(*os.File) (busy bool, err error) { return false, nil }

func unlock(*os.File) {}

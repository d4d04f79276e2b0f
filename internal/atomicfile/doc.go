// Package atomicfile is the one place where corpora writes result and state files.
//
// Every write of a regular file (or a symbolic link's target) goes to a temporary file in the destination's directory, is fsynced,
// and is renamed over the destination, after which the directory is fsynced too. A
// crash or kill -9 at any moment leaves either the old file or the new one, never a
// half-written file. Temporary files carry a recognisable prefix so that stale ones
// left by a killed process can be removed by CleanStale.
//
// A device, FIFO or socket at the destination is written in place instead
// (replacing /dev/null with a regular file would break the machine), and a
// symbolic link is followed so that the link stays and its target is
// replaced.
package atomicfile

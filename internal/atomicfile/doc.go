// Package atomicfile is the one place where corpora writes result and state files.
//
// Every write goes to a temporary file in the destination's directory, is fsynced,
// and is renamed over the destination, after which the directory is fsynced too. A
// crash or kill -9 at any moment leaves either the old file or the new one, never a
// half-written file. Temporary files carry a recognisable prefix so that stale ones
// left by a killed process can be removed by CleanStale.
package atomicfile

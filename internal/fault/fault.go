// Package fault classifies errors by what a caller should do about them,
// where they arise, in the shape of rclone's fserrors: a fatal error stops
// the whole run (no later document can succeed: the budget is spent, the
// classifier refuses the key), a no-retry error fails its item the same way
// every time (an encrypted PDF, an API 400), and a retryable error may pass
// if the same work is tried again, not before a given wait (a 429, a 5xx, a
// dropped connection).
//
// Callers ask the markers (IsFatal, IsRetryable, RetryAfter) instead of
// matching error values or text, so a new error only needs its mark where it
// is made. An unmarked error is not retried: retrying what nobody
// recognised pays twice for the same failure.
package fault

import (
	"errors"
	"time"
)

// Kind is what a caller should do about an error.
type Kind int

// The kinds, from least to most severe.
const (
	// Unmarked: nobody said; treated as NoRetry.
	Unmarked Kind = iota
	// Retry: transient; the same work may succeed later.
	Retry
	// NoRetry: this item fails the same way every time; others may not.
	NoRetry
	// Fatal: every later item would fail the same way; stop the run.
	Fatal
)

func (k Kind) String() string {
	switch k {
	case Retry:
		return "retryable"
	case NoRetry:
		return "no-retry"
	case Fatal:
		return "fatal"
	}
	return "unmarked"
}

// marked is an error with a Kind and, for Retry, a wait.
type marked struct {
	err   error
	kind  Kind
	after time.Duration
}

func (e *marked) Error() string { return e.err.Error() }
func (e *marked) Unwrap() error { return e.err }

func mark(err error, k Kind, after time.Duration) error {
	if err == nil {
		return nil
	}
	return &marked{err: err, kind: k, after: after}
}

// MarkFatal marks err as stopping the whole run.
func MarkFatal(err error) error { return mark(err, Fatal, 0) }

// MarkNoRetry marks err as failing its item the same way on every attempt.
func MarkNoRetry(err error) error { return mark(err, NoRetry, 0) }

// Retryable marks err as transient: the work may be tried again after at
// least after (0: the caller's own backoff).
func Retryable(err error, after time.Duration) error { return mark(err, Retry, after) }

// KindOf returns the outermost mark on err's chain (a wrapper marks over
// what it wraps), or Unmarked.
func KindOf(err error) Kind {
	var m *marked
	if errors.As(err, &m) {
		return m.kind
	}
	return Unmarked
}

// IsFatal reports whether err stops the whole run. A fatal mark anywhere on
// the chain counts: wrapping a spent budget does not make it retryable.
func IsFatal(err error) bool {
	for e := err; e != nil; {
		var m *marked
		if !errors.As(e, &m) {
			return false
		}
		if m.kind == Fatal {
			return true
		}
		e = m.err
	}
	return false
}

// IsRetryable reports whether err may pass if the work is tried again: it
// is marked Retry and nothing on its chain is fatal.
func IsRetryable(err error) bool { return KindOf(err) == Retry && !IsFatal(err) }

// RetryAfter returns the wait a retryable err asked for, or 0.
func RetryAfter(err error) time.Duration {
	var m *marked
	if errors.As(err, &m) && m.kind == Retry {
		return m.after
	}
	return 0
}

package fault

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestKinds(t *testing.T) {
	base := errors.New("boom")
	fatal := MarkFatal(errors.New("cost limit reached"))
	cases := []struct {
		name      string
		err       error
		kind      Kind
		fatal     bool
		retryable bool
		after     time.Duration
	}{
		{"nil", nil, Unmarked, false, false, 0},
		{"unmarked", base, Unmarked, false, false, 0},
		{"retryable", Retryable(base, 2*time.Second), Retry, false, true, 2 * time.Second},
		{"retryable wrapped", fmt.Errorf("gave up after 4 attempts: %w", Retryable(base, 0)), Retry, false, true, 0},
		{"no-retry", MarkNoRetry(base), NoRetry, false, false, 0},
		{"fatal", fatal, Fatal, true, false, 0},
		{"fatal wrapped by context", fmt.Errorf("book.pdf: classify: %w", fatal), Fatal, true, false, 0},
		// A retry mark over a fatal error does not make it retryable.
		{"retry over fatal", Retryable(fmt.Errorf("send: %w", fatal), time.Second), Retry, true, false, time.Second},
		{"joined", errors.Join(base, fatal), Fatal, true, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if k := KindOf(c.err); k != c.kind {
				t.Errorf("KindOf = %v, want %v", k, c.kind)
			}
			if f := IsFatal(c.err); f != c.fatal {
				t.Errorf("IsFatal = %v, want %v", f, c.fatal)
			}
			if r := IsRetryable(c.err); r != c.retryable {
				t.Errorf("IsRetryable = %v, want %v", r, c.retryable)
			}
			if a := RetryAfter(c.err); a != c.after {
				t.Errorf("RetryAfter = %v, want %v", a, c.after)
			}
		})
	}
	if !errors.Is(fmt.Errorf("x: %w", fatal), fatal) {
		t.Error("a marked sentinel is no longer found by errors.Is")
	}
	if MarkFatal(nil) != nil || MarkNoRetry(nil) != nil || Retryable(nil, 0) != nil {
		t.Error("marking nil gave an error")
	}
}

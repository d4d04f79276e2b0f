package fault

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestContain(t *testing.T) {
	ctx := context.Background()
	panicErr := func(v any) error { return fmt.Errorf("panicked: %v", v) }
	if v, err := Contain(ctx, func() (int, error) { return 7, nil }, panicErr); v != 7 || err != nil {
		t.Errorf("result: %v, %v", v, err)
	}
	want := errors.New("bad")
	if _, err := Contain(ctx, func() (int, error) { return 0, want }, panicErr); !errors.Is(err, want) {
		t.Errorf("error: %v", err)
	}
	if _, err := Contain(ctx, func() (int, error) { panic("boom") }, panicErr); err == nil || err.Error() != "panicked: boom" {
		t.Errorf("panic: %v", err)
	}
	// A call that ignores ctx is abandoned at the deadline.
	ctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	release := make(chan struct{})
	defer close(release)
	start := time.Now()
	_, err := Contain(ctx, func() (int, error) { <-release; return 1, nil }, panicErr)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("deadline: %v after %v", err, time.Since(start))
	}
}

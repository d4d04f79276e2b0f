package classify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/corpora-tools/corpora/internal/fault"
)

// Errors callers tell apart. Each is marked where it arises by what a
// caller should do about it (package fault): both stop a run.
var (
	// ErrUnavailable means the backend cannot be used at all: no key, a
	// rejected key, an unreachable endpoint. The CLI exits 69.
	ErrUnavailable = fault.MarkFatal(errors.New("classifier unavailable"))
	// ErrBudget means the --max-cost limit would be exceeded.
	ErrBudget = fault.MarkFatal(errors.New("cost limit reached"))
)

// ParseRetryAfter reads retry-after-ms or retry-after (seconds or an HTTP
// date) from h; 0 when absent or unreadable.
func ParseRetryAfter(h http.Header, now time.Time) time.Duration {
	if h == nil {
		return 0
	}
	if v := h.Get("retry-after-ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := h.Get("retry-after")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// Backoff is the retry policy: full-jitter exponential backoff.
type Backoff struct {
	Base     time.Duration // first delay's upper bound; default 500ms
	Max      time.Duration // cap; default 30s
	Attempts int           // sends of one request in all; default 8
}

func (b Backoff) withDefaults() Backoff {
	if b.Base <= 0 {
		b.Base = 500 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 30 * time.Second
	}
	if b.Attempts <= 0 {
		b.Attempts = 8
	}
	return b
}

// Delay is the wait before retry number attempt (0-based): a random value in
// [d/2, d) with d = Base*2^attempt capped at Max, so workers that failed
// together do not come back together.
func (b Backoff) Delay(attempt int) time.Duration {
	b = b.withDefaults()
	d := b.Base
	for i := 0; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

// Limiter paces API requests: at most Concurrency in flight, and none
// before a pause ordered by the server (retry-after, exhausted rate-limit
// headers). One Limiter is shared by every worker of a backend, so one 429
// slows everybody instead of each worker discovering it separately.
type Limiter struct {
	sem chan struct{}

	mu        sync.Mutex
	notBefore time.Time
}

// NewLimiter returns a limiter allowing concurrency requests in flight (at least 1).
func NewLimiter(concurrency int) *Limiter {
	return &Limiter{sem: make(chan struct{}, max(concurrency, 1))}
}

// Acquire waits for a slot and for any pause to pass; call release when the
// response has been read.
func (l *Limiter) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release = func() { <-l.sem }
	for {
		l.mu.Lock()
		wait := time.Until(l.notBefore)
		l.mu.Unlock()
		if wait <= 0 {
			return release, nil
		}
		if err := Sleep(ctx, wait); err != nil {
			release()
			return nil, err
		}
	}
}

// PauseUntil holds every request until t (it never shortens a pause).
func (l *Limiter) PauseUntil(t time.Time) {
	l.mu.Lock()
	if t.After(l.notBefore) {
		l.notBefore = t
	}
	l.mu.Unlock()
}

// Pause holds every request for d from now.
func (l *Limiter) Pause(d time.Duration) {
	if d > 0 {
		l.PauseUntil(time.Now().Add(d))
	}
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Do runs send under the limiter, retrying errors marked fault.Retryable with
// jittered backoff (and at least the server's retry-after) up to the policy's
// attempts. A retry-after also pauses the limiter for every other worker.
func Do[T any](ctx context.Context, l *Limiter, b Backoff, send func(ctx context.Context) (T, error)) (T, error) {
	b = b.withDefaults()
	var zero T
	for attempt := 0; ; attempt++ {
		release, err := l.Acquire(ctx)
		if err != nil {
			return zero, err
		}
		v, err := send(ctx)
		release()
		if err == nil {
			return v, nil
		}
		if ctx.Err() != nil {
			return zero, ctx.Err()
		}
		if !fault.IsRetryable(err) {
			return zero, err
		}
		if attempt+1 >= b.Attempts {
			return zero, fmt.Errorf("gave up after %d attempts: %w", attempt+1, err)
		}
		d := b.Delay(attempt)
		if ra := fault.RetryAfter(err); ra > 0 {
			l.Pause(ra)
			d = max(d, ra)
		}
		if err := Sleep(ctx, d); err != nil {
			return zero, err
		}
	}
}

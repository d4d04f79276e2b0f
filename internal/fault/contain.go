package fault

import "context"

// Contain runs f in a goroutine of its own and returns its result, or
// ctx's error as soon as ctx ends: f, which should honour ctx too, is then
// left to finish on its own and its result dropped. A panic in f becomes
// the error panicErr(v), so that one bad input cannot bring the process
// down. It is the one wrapper of the stages that run untrusted input under
// a deadline (the parse dispatcher; the PDF engine and the batch worker may
// use it as well).
func Contain[T any](ctx context.Context, f func() (T, error), panicErr func(v any) error) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if v := recover(); v != nil {
				r = result{err: panicErr(v)}
			}
			done <- r
		}()
		r.v, r.err = f()
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

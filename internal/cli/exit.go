package cli

import (
	"context"
	"errors"
	"fmt"
)

// Exit codes (sysexits), SPEC section 2.
const (
	ExitOK          = 0
	ExitUsage       = 64
	ExitDataErr     = 65
	ExitNoInput     = 66
	ExitUnavailable = 69
	ExitCantCreate  = 73
	ExitPartial     = 75
	ExitInterrupted = 130
)

// ExitError carries the exit code for an error meant for the user. Its
// message is printed as is, without usage text.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// exitErr wraps err with an exit code; a nil err stays nil.
func exitErr(code int, err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err}
}

// exitf builds an ExitError from a format.
func exitf(code int, format string, args ...any) error {
	return &ExitError{Code: code, Err: fmt.Errorf(format, args...)}
}

// silentExit ends the program with code after the command has already told
// the user everything (a batch summary, say).
func silentExit(code int) error { return &ExitError{Code: code} }

// usageError marks a mistake in the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// codeFor maps an error to its exit code.
func codeFor(err error) int {
	var ee *ExitError
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.Code
	case errors.As(err, &ue):
		return ExitUsage
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	}
	return 1
}

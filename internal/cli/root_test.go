package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestErrorColourOnlyOnTTYWithoutNoColor(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tty     bool
		noColor string
		want    bool
	}{
		{"pipe", false, "", false},
		{"tty", true, "", true},
		{"tty NO_COLOR", true, "1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			s := &Streams{Out: &out, Err: &errb, ErrIsTTY: tc.tty, Getenv: func(k string) string {
				if k == "NO_COLOR" {
					return tc.noColor
				}
				return ""
			}}
			code := Run(context.Background(), []string{"bogus-command"}, s)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d", code, ExitUsage)
			}
			if got := strings.Contains(errb.String(), "\x1b["); got != tc.want {
				t.Fatalf("colour = %v, want %v: %q", got, tc.want, errb.String())
			}
			if out.Len() != 0 {
				t.Fatalf("stdout not empty: %q", out.String())
			}
		})
	}
}

func TestVersion(t *testing.T) {
	var out, errb bytes.Buffer
	s := &Streams{Out: &out, Err: &errb, Getenv: func(string) string { return "" }}
	if code := Run(context.Background(), []string{"--version"}, s); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.HasPrefix(out.String(), "corpora ") || errb.Len() != 0 {
		t.Fatalf("version on stdout %q, stderr %q: want it on stdout", out.String(), errb.String())
	}
}

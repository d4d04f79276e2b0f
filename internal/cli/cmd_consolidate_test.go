package cli

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestConsolidateFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    consolidateOptions
		wantErr string
	}{
		{[]string{"out"}, consolidateOptions{Dir: "out", KeepBackups: 5}, ""},
		{[]string{"out", "-m", "m.json", "-b", "bl.json", "--force", "--keep-backups", "2"}, consolidateOptions{Dir: "out", Master: "m.json", Blocklist: "bl.json", Force: true, KeepBackups: 2}, ""},
		{[]string{}, consolidateOptions{}, "needs the output folder"},
		{[]string{"out", "--keep-backups", "-1"}, consolidateOptions{}, "--keep-backups"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var got *consolidateOptions
			s := &Streams{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}
			cmd := newConsolidateCmdWith(s, func(_ context.Context, o *consolidateOptions, _ *Streams) error { got = o; return nil })
			if !parseFlags(t, cmd, tc.args, tc.wantErr) {
				return
			}
			g := *got
			g.now = nil
			if !reflect.DeepEqual(g, tc.want) {
				t.Errorf("options = %+v, want %+v", *got, tc.want)
			}
		})
	}
}

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
			cmd.SetArgs(tc.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			g := *got
			g.now = nil
			if !reflect.DeepEqual(g, tc.want) {
				t.Errorf("options = %+v, want %+v", *got, tc.want)
			}
		})
	}
}

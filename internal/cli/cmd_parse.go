package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// newParseCmd is a placeholder until the parse stage lands.
func newParseCmd(s *Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "parse",
		Short: "not yet available",
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitErr(ExitUnavailable, errors.New("parse: not yet available"))
		},
	}
}

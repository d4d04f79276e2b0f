package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// newOutputCmd is a placeholder until the output stage lands.
func newOutputCmd(s *Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "output",
		Short: "not yet available",
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitErr(ExitUnavailable, errors.New("output: not yet available"))
		},
	}
}

package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// newBatchCmd is a placeholder until the batch stage lands.
func newBatchCmd(s *Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "batch",
		Short: "not yet available",
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitErr(ExitUnavailable, errors.New("batch: not yet available"))
		},
	}
}

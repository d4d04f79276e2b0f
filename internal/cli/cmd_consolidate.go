package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// newConsolidateCmd is a placeholder until the consolidate stage lands.
func newConsolidateCmd(s *Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "consolidate",
		Short: "not yet available",
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitErr(ExitUnavailable, errors.New("consolidate: not yet available"))
		},
	}
}

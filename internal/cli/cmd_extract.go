package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// newExtractCmd is a placeholder until the extract stage lands.
func newExtractCmd(s *Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "extract",
		Short: "not yet available",
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitErr(ExitUnavailable, errors.New("extract: not yet available"))
		},
	}
}

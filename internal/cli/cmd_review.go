package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// newReviewCmd is a placeholder until the review stage lands.
func newReviewCmd(s *Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "review",
		Short: "not yet available",
		RunE: func(cmd *cobra.Command, args []string) error {
			return exitErr(ExitUnavailable, errors.New("review: not yet available"))
		},
	}
}

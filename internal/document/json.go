package document

import (
	"encoding/json"
	"time"

	"github.com/corpora-tools/corpora/internal/jsontime"
)

// UnmarshalJSON reads a DocumentOutput leniently in its timestamp: the 1.0
// tool wrote extracted_at without a zone ("2026-02-04T00:00:00"), read as
// UTC (SPEC section 3).
func (o *Output) UnmarshalJSON(data []byte) error {
	type plain Output // no methods: no recursion
	aux := struct {
		*plain
		ExtractedAt jsontime.Time `json:"extracted_at"`
	}{plain: (*plain)(o)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	o.ExtractedAt = time.Time(aux.ExtractedAt)
	return nil
}

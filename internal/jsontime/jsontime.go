// Package jsontime reads the timestamps of corpora's JSON files and of the
// 1.0 tool's: RFC 3339 with a zone, and the naive ISO 8601 form the original
// wrote ("2026-02-04T00:00:00", Python's datetime.isoformat() without a
// zone), which SPEC section 3 says to read as UTC.
package jsontime

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Time is a time.Time that unmarshals leniently and marshals as RFC 3339.
type Time time.Time

// naive are the zone-less layouts the 1.0 tool wrote, read as UTC.
var naive = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02",
}

// Parse reads s as RFC 3339, or as a zone-less ISO 8601 time in UTC.
func Parse(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	// Python's isoformat() with an offset but a space instead of the T.
	if t, err := time.Parse("2006-01-02 15:04:05.999999999Z07:00", s); err == nil {
		return t, nil
	}
	for _, layout := range naive {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q: neither RFC 3339 nor a zone-less ISO 8601 time", s)
}

// UnmarshalJSON implements json.Unmarshaler; null and "" give the zero time.
func (t *Time) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	if s == "" {
		*t = Time{}
		return nil
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*t = Time(v)
	return nil
}

// MarshalJSON implements json.Marshaler: RFC 3339 with nanoseconds, as
// time.Time does.
func (t Time) MarshalJSON() ([]byte, error) { return time.Time(t).MarshalJSON() }

package jsontime

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	cases := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-02-04T00:00:00Z", utc(2026, 2, 4, 0, 0, 0, 0), true},
		{"2026-02-04T01:00:00+01:00", utc(2026, 2, 4, 0, 0, 0, 0), true},
		{"2026-02-04T00:00:00", utc(2026, 2, 4, 0, 0, 0, 0), true},                   // 1.0: naive, read as UTC
		{"2026-02-04T10:11:12.123456", utc(2026, 2, 4, 10, 11, 12, 123456000), true}, // isoformat() with microseconds
		{"2026-02-04 10:11:12", utc(2026, 2, 4, 10, 11, 12, 0), true},
		{"2026-02-04 10:11:12+00:00", utc(2026, 2, 4, 10, 11, 12, 0), true},
		{"2026-02-04", utc(2026, 2, 4, 0, 0, 0, 0), true},
		{"yesterday", time.Time{}, false},
		{"2026-13-40T00:00:00", time.Time{}, false},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if (err == nil) != c.ok || (c.ok && !got.Equal(c.want)) {
			t.Errorf("Parse(%q) = %v, %v; want %v ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestJSON(t *testing.T) {
	var v struct {
		A Time `json:"a"`
		B Time `json:"b"`
		C Time `json:"c"`
	}
	if err := json.Unmarshal([]byte(`{"a":"2026-02-04T00:00:00","b":null,"c":""}`), &v); err != nil {
		t.Fatal(err)
	}
	if !time.Time(v.A).Equal(time.Date(2026, 2, 4, 0, 0, 0, 0, time.UTC)) || !time.Time(v.B).IsZero() || !time.Time(v.C).IsZero() {
		t.Fatalf("%+v", v)
	}
	b, _ := json.Marshal(v.A)
	if string(b) != `"2026-02-04T00:00:00Z"` {
		t.Fatalf("marshal: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"a":12}`), &v); err == nil {
		t.Fatal("a number read as a time")
	}
}

package classify

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestUsageCostRounded: sums of float prices print as a dollar amount, not
// as 0.48639004999999996.
func TestUsageCostRounded(t *testing.T) {
	var u Usage
	for range 3 {
		u.Add(Usage{Requests: 1, CostUSD: 0.16213001666666665})
	}
	b, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"cost_usd":0.48639`) || !strings.Contains(string(b), `"requests":3`) {
		t.Fatalf("usage JSON %s", b)
	}
	var back Usage
	if err := json.Unmarshal(b, &back); err != nil || back.Requests != 3 {
		t.Fatalf("round trip: %+v %v", back, err)
	}
}

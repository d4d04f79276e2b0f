package pdfium

import "testing"

// TestMemoryCap checks that the cap reaches the instance: its linear memory
// may not grow past wasmMemoryLimitPages.
func TestMemoryCap(t *testing.T) {
	eng, err := New(t.Context(), 1, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	in, err := eng.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Release(in)
	max, ok := in.mem.Definition().Max()
	if !ok || max != wasmMemoryLimitPages {
		t.Errorf("memory max = %d pages (declared %v), want %d", max, ok, wasmMemoryLimitPages)
	}
	if _, ok := in.mem.Grow(wasmMemoryLimitPages); ok {
		t.Errorf("memory grew past the cap")
	}
}

package pdfium

//go:generate go run ./internal/genwasm -pkg pdfium -out pdfium.wasm.gz -go wasm_gen.go

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
)

// wasmGz is PDFium compiled to WebAssembly, as go-pdfium ships it (PDFium:
// BSD-3-Clause, with Apache-2.0 parts; see PDFIUM_LICENSE), compressed.
// go-pdfium keeps the module in an internal package; genwasm copies it here
// at compile time and TestEmbeddedWasmMatchesModule fails when a go-pdfium
// upgrade was not followed by `go generate`.
//
//go:embed pdfium.wasm.gz
var wasmGz []byte

// wasmBytes returns the decompressed module, checked against the hash
// recorded when it was generated.
var wasmBytes = sync.OnceValues(func() ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(wasmGz))
	if err != nil {
		return nil, fmt.Errorf("embedded PDFium module: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(zr, wasmSize+1))
	if err != nil {
		return nil, fmt.Errorf("embedded PDFium module: %w", err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != wasmSHA256 {
		return nil, fmt.Errorf("embedded PDFium module is corrupt (sha256 mismatch)")
	}
	return b, nil
})

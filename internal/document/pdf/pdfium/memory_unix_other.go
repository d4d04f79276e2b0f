//go:build unix && !linux

package pdfium

const mapNoReserve = 0

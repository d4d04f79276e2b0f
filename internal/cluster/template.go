package cluster

import (
	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
)

// NewTemplate is the part of every job that a batch's configuration fixes;
// its Pipeline is the fingerprint batch.New computes for the same settings.
func NewTemplate(tool string, po document.Options, eo extract.Options, cls classify.Classifier, blocklistHash string) JobMsg {
	if tool == "" {
		tool = "dev"
	}
	ocr := po.OCR
	if ocr == "" {
		ocr = document.OCRAuto
	}
	return JobMsg{
		Pipeline: batch.NewFingerprint(tool, po, eo, cls.Backend(), cls.Model(), cls.PromptVersion(), blocklistHash).String(),
		Tool:     tool, OCR: string(ocr),
		KeepGeneric: eo.KeepGeneric, MaxCandidates: eo.MaxCandidates, MinScore: eo.MinScore,
		Backend: cls.Backend(), Model: cls.Model(), BlocklistHash: blocklistHash,
	}
}

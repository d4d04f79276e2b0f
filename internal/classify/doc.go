// Package classify holds the ClassifiedTerm model, its enumerations and their
// validation, the Classifier interface every backend implements, the
// classification cache, usage and cost accounting.
//
// The backends live in subpackages: offline, claude, openai.
package classify

// Package tokenize splits sourcebook text into tokens and sentences.
//
// Tokens follow Penn Treebank conventions where the tagger expects them
// (possessive 's and contractions n't, 're ... are separate tokens) and keep
// together what sourcebooks write as one unit: hyphenated words (yuan-ti,
// half-orc), slash pairs (Antipathy/Sympathy), numbers with separators
// (1,000 and 1.5), ordinals and compounds (1st-level, 10-foot), dice
// (2d6+3, d20), and known abbreviations with their period (e.g., ft., gp.).
//
// Sentences end at terminal punctuation followed by a capital, digit or
// quote; at line breaks unless a wrapped line clearly continues; at table
// rows (" | " separated cells from the DOCX and EPUB parsers) and at short
// stat-block lines. Everything works on byte offsets into the input and
// allocates nothing beyond the caller's slices.
package tokenize

// Package lexicon holds the hand-written word lists of term extraction,
// embedded from the .txt files next to it: stop words (function words),
// generic verbs and adjectives (no term alone, fine inside a name),
// stat-block labels and page furniture, and a fantasy lexicon of words that
// stay relevant even when they are common English (fire, light, shadow,
// force, mind, death ...).
package lexicon

// Package ipreview finds IP-encumbered names in classified terms and keeps
// the human review of them.
//
// # Blocklist
//
// The embedded default list (default_blocklist.json) holds the Product
// Identity named by the SRD 5.1 legal text, the proper names of wizards,
// deities and characters that appear in closed spell and item names
// (Mordenkainen, Bigby, Tasha, Vecna, ...), closed creatures, the D&D
// settings and planes, and other well-known franchises (Middle-earth,
// Warhammer, Star Wars, Harry Potter, ...). Public-domain mythology and
// literature (Lovecraft, Tiamat, Orcus, Asmodeus, the Norse and Greek gods)
// is deliberately absent. LoadBlocklist extends it with a -b file in the
// 1.0 shape, franchise -> names, where a name may also be an object with
// options:
//
//	{
//	  "My Setting": ["Zorblax", "Crystal of Zorg"],
//	  "Games Workshop": [{"term": "Warp", "whole_name": true, "proper": true}],
//	  "exclude": ["Sigil"],
//	  "replace": false
//	}
//
// whole_name: only the entire term (after a leading "the") is the name, so
// "Warp" flags the term "Warp" but not "warp speed". proper: only where the
// name is written with a capital letter, so "Sigil" flags the city and not
// "sigil". "exclude" drops names from the default list; "replace": true
// uses the file instead of the default list.
//
// # Matching
//
// Texts are folded (NFKC, case, diacritics, apostrophe and hyphen
// variants), split into words (possessive 's dropped, every word made
// singular) and looked up as runs of consecutive words in a hash index
// whose keys are the names' words concatenated, so "Mind Flayers",
// "mind-flayer" and "Mindflayer" all find "mind flayer" and
// "Mordenkainen’s Sword" finds "Mordenkainen", while "carrot" never finds
// "Rary": matching is by whole words only. Every matching franchise is
// reported, in a fixed order; flagging is idempotent.
//
// # Review
//
// The review queue (flagged.json) is regenerated from a vocabulary on every
// consolidation and shows the decision recorded for each term; the
// decisions (review-decisions.json), keyed by canonical form, are written
// only by `corpora review`, and a new decision keeps the earlier ones in its
// history.
package ipreview

//go:generate go run ./gen

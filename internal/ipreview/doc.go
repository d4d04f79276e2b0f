// Package ipreview finds IP-encumbered names in classified terms and keeps
// the human review of them.
//
// # Blocklist
//
// The embedded default list (default_blocklist.json) is generated from the
// name lists in names/ (go generate ./internal/ipreview), one file per
// franchise, each saying in its header whose names they are and where they
// come from: the Product Identity named by the SRD 5.1 legal text with the
// wizards and heroes of closed spell and item names, the D&D multiverse and
// Wizards of the Coast's settings (Forgotten Realms, Greyhawk, Planescape,
// Ravenloft, Dragonlance, Eberron, Dark Sun, Spelljammer, ...), Paizo's
// Golarion, Kobold Press's Midgard, Critical Role's Exandria, Tolkien,
// Games Workshop, and the big fiction and video-game settings. Open content
// stays open: no SRD 5.1 name, and no name of folklore, myth or scripture
// (Asmodeus, Tiamat, Midgard as the Norse world, the baobhan sith), is
// flagged because a franchise also uses it.
//
// Every entry says what it is (Entry): its franchise (the key it is listed
// under), its owner, and its kind. A coined name (Golarion, Drizzt,
// Khorne, beholder) flags wherever it appears as a word. A shared word, one
// that also has an ordinary or folkloric sense (Sith, Warp, Stormwind,
// Absalom), flags only as the franchise's proper noun: capitalised, spelt as
// the entry spells it where it is Literal ("Shai'tan", not "shaitan"), not
// inside one of the longer open names it lists in Except ("baobhan sith"),
// and, where it lists Context words, with one of them in the term's context
// sentence when NeedsContext says so ("Warp" beside "Chaos" or "daemon") or
// without one of its OpenContext words ("Desna" beside "river"). The rule
// is the entry's data, not code. An entry may name its open Alternative
// (the SRD's renames: "Bigby's Hand" -> "Arcane Hand").
//
// LoadBlocklist extends the default with a -b file in the 1.0 shape,
// franchise -> names, where a name may also be an object with the Entry
// fields, all optional but "term":
//
//	{
//	  "My Setting": ["Zorblax", "Crystal of Zorg"],
//	  "Games Workshop": [{"term": "Warp", "kind": "shared", "whole_name": true,
//	                      "needs_context": true, "context": ["Chaos", "daemon"]}],
//	  "exclude": ["Sigil"],
//	  "replace": false
//	}
//
// "exclude" drops names from the default list; "replace": true uses the
// file instead of the default list.
//
// # Matching
//
// Texts are folded (NFKC, case, diacritics, apostrophe and hyphen
// variants), split into words (possessive 's dropped, every word made
// singular) and looked up as runs of consecutive words in a hash index
// whose keys are the names' words concatenated, so "Mind Flayers",
// "mind-flayer" and "Mindflayer" all find "mind flayer" and
// "Mordenkainen’s Sword" finds "Mordenkainen", while "carrot" never finds
// "Rary": matching is by whole words only. A text may join a name's words
// or split them at a hyphen ("Under-dark"), but not at a space where the
// name has none: "oaken shields" is not "Oakenshield". A capitalised word
// may be a name's derived form ("Nethysian", "Khornate", "Lathanderite").
// Every matching franchise is reported, in a fixed order, with the entry
// that matched, its owner, why it flags and its alternative (Match); a
// longer entry of a franchise hides the shorter ones it contains ("Bigby's
// Hand", not also "Bigby"). Flagging is idempotent.
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

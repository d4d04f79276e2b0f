package extract

// POS is a candidate's part of speech as written in CandidateTerm and
// ClassifiedTerm files.
type POS string

// The parts of speech.
const (
	Noun       POS = "noun"
	Verb       POS = "verb"
	Adjective  POS = "adjective"
	ProperNoun POS = "proper_noun"
	Phrase     POS = "phrase"
)

// MaxPages is how many page numbers a candidate keeps.
const MaxPages = 50

// MaxContext is the longest context sentence kept, in characters.
const MaxContext = 300

// Span is a pair of character (rune) offsets [start, end) into the document's
// joined text: the blocks' texts joined with "\n\n".
type Span [2]int

// Candidate is the CandidateTerm of SPEC section 3. Field order is JSON key order.
type Candidate struct {
	Text    string  `json:"text"`
	Lemma   string  `json:"lemma"`
	POS     POS     `json:"pos"`
	Count   int     `json:"count"`
	Pages   []int   `json:"pages"`
	Context string  `json:"context"`
	Span    Span    `json:"span"`
	Score   float64 `json:"score,omitempty"` // relevance, higher first; added in 2.0

	// Block is text around the first occurrence (the block it came from, cut
	// to a window), for classifiers that read cues such as stat-block labels.
	// It is not written to candidate files.
	Block string `json:"-"`
	// Section is the headings the first occurrence sits under, outermost
	// first, joined with " / " ("Bestiary / Cavern Dwellers"): a book's
	// chapter says what its entries are. Not written to candidate files.
	Section string `json:"-"`
	// TypeLine is the type line under the name line where the candidate
	// first appeared, when the document marks one ("Ring, legendary
	// (requires attunement)", "3rd-level evocation", "Group, Large"): what
	// the book says the entry is, for the classifier. Not written to
	// candidate files.
	TypeLine string `json:"-"`
}

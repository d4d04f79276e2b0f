package classify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/corpora-tools/corpora/internal/extract"
)

// Genre is the only genre corpora writes today.
const Genre = "fantasy"

// Intent is what a term does in play.
type Intent string

// The intents.
const (
	Offensive      Intent = "offensive"
	Defensive      Intent = "defensive"
	Utility        Intent = "utility"
	Summoning      Intent = "summoning"
	Transformation Intent = "transformation"
	Divination     Intent = "divination"
	Enchantment    Intent = "enchantment"
	Necromancy     Intent = "necromancy"
	Control        Intent = "control"
)

// Intents lists every intent in a fixed order.
var Intents = []Intent{Offensive, Defensive, Utility, Summoning, Transformation, Divination, Enchantment, Necromancy, Control}

// Category is what kind of thing a term names.
type Category string

// The categories.
const (
	Spell     Category = "spell"
	Creature  Category = "creature"
	Item      Category = "item"
	Location  Category = "location"
	Character Category = "character"
	Material  Category = "material"
	Concept   Category = "concept"
	Action    Category = "action"
)

// Categories lists every category in a fixed order.
var Categories = []Category{Spell, Creature, Item, Location, Character, Material, Concept, Action}

// Mood is the term's flavour.
type Mood string

// The moods.
const (
	Arcane    Mood = "arcane"
	Dark      Mood = "dark"
	Heroic    Mood = "heroic"
	Primal    Mood = "primal"
	Divine    Mood = "divine"
	Eldritch  Mood = "eldritch"
	Whimsical Mood = "whimsical"
	Martial   Mood = "martial"
)

// Moods lists every mood in a fixed order.
var Moods = []Mood{Arcane, Dark, Heroic, Primal, Divine, Eldritch, Whimsical, Martial}

// Energies are the damage and energy words a term's energy may take ("" is none).
var Energies = []string{"fire", "cold", "lightning", "thunder", "acid", "poison", "necrotic", "radiant", "psychic", "force", "bludgeoning", "piercing", "slashing"}

// NoEnergy is how the answer schema lets a model say "no energy" where a
// strict schema requires the field; it is stored as "".
const NoEnergy = "none"

// AxisCount is the number of axes.
const AxisCount = 16

// AxisNames are the 16 axes in SPEC order: elemental, then mechanical.
var AxisNames = [AxisCount]string{
	"fire", "water", "earth", "air", "light", "shadow", "life", "void",
	"force", "binding", "ward", "sight", "mind", "time", "space", "fate",
}

// AxisIndex returns the position of an axis name, or -1.
func AxisIndex(name string) int {
	for i, n := range AxisNames {
		if n == name {
			return i
		}
	}
	return -1
}

// Axes are the 16 axis scores, each in 0..1. They encode as a JSON object in
// AxisNames order with 2-decimal values.
type Axes [AxisCount]float64

// MarshalJSON writes the axes as an ordered object.
func (a Axes) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, v := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(AxisNames[i]))
		b.WriteByte(':')
		b.WriteString(formatScore(v))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// axesJSON mirrors Axes as a struct: decoding into it is several times
// faster than into a map, and consolidation decodes every entry's axes.
type axesJSON struct {
	Fire    float64 `json:"fire"`
	Water   float64 `json:"water"`
	Earth   float64 `json:"earth"`
	Air     float64 `json:"air"`
	Light   float64 `json:"light"`
	Shadow  float64 `json:"shadow"`
	Life    float64 `json:"life"`
	Void    float64 `json:"void"`
	Force   float64 `json:"force"`
	Binding float64 `json:"binding"`
	Ward    float64 `json:"ward"`
	Sight   float64 `json:"sight"`
	Mind    float64 `json:"mind"`
	Time    float64 `json:"time"`
	Space   float64 `json:"space"`
	Fate    float64 `json:"fate"`
}

// UnmarshalJSON reads an axes object; missing axes are 0 and unknown names
// are ignored, so files from other tools and versions still load.
func (a *Axes) UnmarshalJSON(data []byte) error {
	var v axesJSON
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("axes: %w", err)
	}
	*a = Axes{v.Fire, v.Water, v.Earth, v.Air, v.Light, v.Shadow, v.Life, v.Void,
		v.Force, v.Binding, v.Ward, v.Sight, v.Mind, v.Time, v.Space, v.Fate}
	return nil
}

// Score is a 0..1 value written with at most 2 decimals.
type Score float64

// MarshalJSON rounds to 2 decimals.
func (s Score) MarshalJSON() ([]byte, error) { return []byte(formatScore(float64(s))), nil }

func formatScore(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	r := math.Round(v*100) / 100
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// Term is the ClassifiedTerm of SPEC section 3. Field order is JSON key order.
// ID and Source are set by code, never by a model.
type Term struct {
	ID               string      `json:"id"`
	Text             string      `json:"text"`
	Source           string      `json:"source"`
	Genre            string      `json:"genre"`
	Intent           Intent      `json:"intent"`
	POS              extract.POS `json:"pos"`
	Axes             Axes        `json:"axes"`
	Tags             []string    `json:"tags"`
	Category         Category    `json:"category"`
	Canonical        string      `json:"canonical"`
	Mood             Mood        `json:"mood"`
	Energy           string      `json:"energy"`
	Confidence       Score       `json:"confidence"`
	SecondaryIntents []Intent    `json:"secondary_intents"`
	// IPFlag is the 1.0 machine-readable flag: null, "blocklist:<franchise>"
	// from corpora's blocklist, or a flag set upstream (such as
	// "classification:ip-suspect"), which corpora keeps.
	IPFlag *string `json:"ip_flag"`
	// IPReason says in words why the term is flagged (added in 2.0).
	IPReason   string `json:"ip_reason,omitempty"`
	Count      int    `json:"count"`
	Pages      []int  `json:"pages"`
	Context    string `json:"context"`
	Classifier string `json:"classifier"`      // "offline/<version>", "claude/<model>", ...
	Lemma      string `json:"lemma,omitempty"` // added in 2.0: the cache key's lemma
}

// Request is one call to a Classifier: terms from one document.
type Request struct {
	Source string // the document's path as the user named it, for Term.Source and ID
	Terms  []extract.Candidate
	// Of is the number of terms of the whole document when Terms is only a
	// part of them (the cache's misses); 0 means len(Terms). Shares such as
	// MaxUnclassifiedShare are of the document, not of the part.
	Of int
}

// Usage is what classification cost: tokens from every response, requests
// made, terms answered from the cache, and dollars by the price table.
type Usage struct {
	Requests         int     `json:"requests"`
	TermsSent        int     `json:"terms_sent"`
	CacheHits        int     `json:"cache_hits"`
	InputTokens      int64   `json:"input_tokens"`
	CacheWriteTokens int64   `json:"cache_write_tokens"`
	CacheReadTokens  int64   `json:"cache_read_tokens"`
	OutputTokens     int64   `json:"output_tokens"`
	CostUSD          float64 `json:"cost_usd"`
	// Fallbacks counts terms the model never answered validly after every
	// re-ask, answered by the fallback classifier instead.
	Fallbacks int `json:"fallback_terms,omitempty"`
	// DroppedFields counts optional fields (an energy, an axis, a secondary
	// intent) left out of an answer because they could not be read.
	DroppedFields int `json:"dropped_fields,omitempty"`
}

// MarshalJSON writes the cost rounded to a millionth of a dollar: sums of
// float64 prices print as 0.48639004999999996 otherwise.
func (u Usage) MarshalJSON() ([]byte, error) {
	type plain Usage // no methods: no recursion
	v := plain(u)
	v.CostUSD = math.Round(v.CostUSD*1e6) / 1e6
	return json.Marshal(v)
}

// Add accumulates o into u.
func (u *Usage) Add(o Usage) {
	u.Requests += o.Requests
	u.TermsSent += o.TermsSent
	u.CacheHits += o.CacheHits
	u.InputTokens += o.InputTokens
	u.CacheWriteTokens += o.CacheWriteTokens
	u.CacheReadTokens += o.CacheReadTokens
	u.OutputTokens += o.OutputTokens
	u.CostUSD += o.CostUSD
	u.Fallbacks += o.Fallbacks
	u.DroppedFields += o.DroppedFields
}

// Result is a Classifier's answer: one Term per requested candidate, in the
// request's order, and the usage it cost.
type Result struct {
	Terms []Term
	Usage Usage
}

// Classifier classifies terms. Implementations must be safe for concurrent use
// and honour ctx.
type Classifier interface {
	// Backend is the backend name: offline, claude, claude-batch, openai.
	Backend() string
	// Model is the model name (for offline, its knowledge version).
	Model() string
	// PromptVersion changes whenever the same term could be answered differently.
	PromptVersion() string
	Classify(ctx context.Context, req Request) (Result, error)
}

// Checker is implemented by backends that can verify, once and up front, that
// they are usable (key accepted, endpoint reachable).
type Checker interface {
	Check(ctx context.Context) error
}

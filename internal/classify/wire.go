package classify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/corpora-tools/corpora/internal/extract"
)

// WireItem is one term as an LLM backend sends it: the user message is
// {"terms":[WireItem...]} and the answer carries one WireResult per Key.
type WireItem struct {
	Key     string `json:"key"`
	Text    string `json:"text"`
	POS     string `json:"pos"`
	Context string `json:"context,omitempty"`
}

// ItemKey is the short key of the i-th term of a request ("t0", "t1", ... "tz", "t10").
// Short keys matter: the model repeats each key in its answer.
func ItemKey(i int) string { return "t" + strconv.FormatInt(int64(i), 36) }

// NewItem builds the wire item for candidate c under key.
func NewItem(key string, c extract.Candidate) WireItem {
	return WireItem{Key: key, Text: c.Text, POS: string(c.POS), Context: c.Context}
}

// UserMessage renders the user message for items: {"terms":[...]}.
func UserMessage(items []WireItem) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(struct {
		Terms []WireItem `json:"terms"`
	}{items})
	return strings.TrimSpace(b.String())
}

// WireResult is the compact answer for one term. Only the axes above zero
// are listed and optional fields are left out when empty, because output
// tokens are most of the bill.
type WireResult struct {
	Key        string   `json:"key"`
	Category   string   `json:"cat"`
	Intent     string   `json:"intent"`
	Mood       string   `json:"mood"`
	Energy     string   `json:"energy,omitempty"`
	Canonical  string   `json:"canon,omitempty"`
	Confidence *float64 `json:"conf"`
	Tags       []string `json:"tags,omitempty"`
	Secondary  []string `json:"sec,omitempty"`
	Axes       WireAxes `json:"axes,omitempty"`
}

// WireAxes are the non-zero axes of a WireResult. They decode from an object
// {"fire":0.8} (the Claude tool schema) or from a list of pairs
// [{"axis":"fire","score":0.8}] (strict JSON-schema backends, which cannot
// express optional properties).
type WireAxes map[string]float64

// UnmarshalJSON accepts both shapes.
func (w *WireAxes) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		*w = nil
		return nil
	}
	if len(data) > 0 && data[0] == '[' {
		var pairs []struct {
			Axis  string  `json:"axis"`
			Score float64 `json:"score"`
		}
		if err := json.Unmarshal(data, &pairs); err != nil {
			return err
		}
		m := make(map[string]float64, len(pairs))
		for _, p := range pairs {
			m[p.Axis] = p.Score
		}
		*w = m
		return nil
	}
	var m map[string]float64
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*w = m
	return nil
}

// Term converts a wire result into a Term with the model-owned fields set.
// A missing confidence is an error wrapping ErrInvalid: the term is
// re-asked, since guessing would write something the model never said. An
// axis the schema does not have is dropped and named in dropped.
func (r WireResult) Term() (t Term, dropped []string, err error) {
	if r.Confidence == nil {
		return t, nil, fmt.Errorf("%w: no confidence", ErrInvalid)
	}
	for _, name := range SortedKeys(r.Axes) {
		i := AxisIndex(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), " ", "_"))
		if i < 0 {
			dropped = append(dropped, fmt.Sprintf("axis %q", name))
			continue
		}
		t.Axes[i] = r.Axes[name]
	}
	t.Category = Category(r.Category)
	t.Intent = Intent(r.Intent)
	t.Mood = Mood(r.Mood)
	t.Energy = r.Energy
	t.Canonical = r.Canonical
	t.Confidence = Score(*r.Confidence)
	t.Tags = r.Tags
	for _, s := range r.Secondary {
		t.SecondaryIntents = append(t.SecondaryIntents, Intent(s))
	}
	return t, dropped, nil
}

// ToWire is the inverse of WireResult.Term, used for prompt examples and fakes.
func ToWire(key string, t Term) WireResult {
	conf := float64(t.Confidence)
	w := WireResult{Key: key, Category: string(t.Category), Intent: string(t.Intent), Mood: string(t.Mood),
		Energy: t.Energy, Canonical: t.Canonical, Confidence: &conf, Tags: t.Tags}
	for _, s := range t.SecondaryIntents {
		w.Secondary = append(w.Secondary, string(s))
	}
	for i, v := range t.Axes {
		if v > 0 {
			if w.Axes == nil {
				w.Axes = WireAxes{}
			}
			w.Axes[AxisNames[i]] = v
		}
	}
	return w
}

// ParseResults reads the answer object {"results":[...]} into raw items. A
// truncated answer (cut by the output limit) yields every item that was
// complete; ok is false when the answer was not a whole JSON document.
func ParseResults(data []byte) (items []json.RawMessage, ok bool) {
	var whole struct {
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(data, &whole); err == nil {
		return whole.Results, true
	}
	return salvageResults(data), false
}

// salvageResults walks a possibly cut JSON document to the "results" array
// and returns the complete items before the cut.
func salvageResults(data []byte) []json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil
		}
		if key != "results" {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return nil
			}
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return nil
		}
		var out []json.RawMessage
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return out
			}
			out = append(out, raw)
		}
		return out
	}
	return nil
}

// DecodeItem decodes one raw result item leniently: a result whose key can
// be read but whose body breaks the schema returns the key and an error, so
// only that key is re-asked. dropped names the parts left out as unreadable
// (an unknown axis).
func DecodeItem(raw json.RawMessage) (key string, t Term, dropped []string, err error) {
	var w WireResult
	if err := json.Unmarshal(raw, &w); err != nil {
		var k struct {
			Key string `json:"key"`
		}
		_ = json.Unmarshal(raw, &k)
		return k.Key, t, nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	t, dropped, err = w.Term()
	return w.Key, t, dropped, err
}

// UnmarshalJSON reads a result item leniently, as models write them: a
// confidence as a number or a numeric string, tags and secondary intents as
// a list or a single string, an energy as a string, a list (its first
// entry) or null. Anything else of the wrong type is an error, so the term
// is re-asked.
func (r *WireResult) UnmarshalJSON(data []byte) error {
	var raw struct {
		Key        string          `json:"key"`
		Category   string          `json:"cat"`
		Intent     string          `json:"intent"`
		Mood       string          `json:"mood"`
		Energy     json.RawMessage `json:"energy"`
		Canonical  string          `json:"canon"`
		Confidence json.RawMessage `json:"conf"`
		Tags       json.RawMessage `json:"tags"`
		Secondary  json.RawMessage `json:"sec"`
		Axes       WireAxes        `json:"axes"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*r = WireResult{Key: raw.Key, Category: raw.Category, Intent: raw.Intent, Mood: raw.Mood, Canonical: raw.Canonical, Axes: raw.Axes}
	var err error
	if r.Tags, err = stringList(raw.Tags); err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	if r.Secondary, err = stringList(raw.Secondary); err != nil {
		return fmt.Errorf("sec: %w", err)
	}
	energies, err := stringList(raw.Energy)
	if err != nil {
		return fmt.Errorf("energy: %w", err)
	}
	if len(energies) > 0 {
		r.Energy = energies[0]
	}
	if c := bytes.TrimSpace(raw.Confidence); len(c) > 0 && !bytes.Equal(c, []byte("null")) {
		var f float64
		if err := json.Unmarshal(c, &f); err != nil {
			var s string
			if json.Unmarshal(c, &s) != nil {
				return fmt.Errorf("conf: %w", err)
			}
			if f, err = strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
				return fmt.Errorf("conf: %w", err)
			}
		}
		r.Confidence = &f
	}
	return nil
}

// stringList reads a JSON list of strings, a single string, or null.
func stringList(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, err
	}
	return list, nil
}

package classify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/fault"
)

func TestParseResultsSalvagesTruncatedAnswers(t *testing.T) {
	for _, tc := range []struct {
		in    string
		n     int
		whole bool
	}{
		{`{"results":[{"key":"t0"},{"key":"t1"}]}`, 2, true},
		{`{"results":[{"key":"t0"},{"key":"t1","cat":"sp`, 1, false},
		{`{"note":"x","results":[{"key":"t0"},{"key":"t1"},`, 2, false},
		{`{"results":[`, 0, false},
		{`not json`, 0, false},
		{``, 0, false},
	} {
		items, whole := ParseResults([]byte(tc.in))
		if len(items) != tc.n || whole != tc.whole {
			t.Errorf("%q: %d items (whole %v), want %d (%v)", tc.in, len(items), whole, tc.n, tc.whole)
		}
	}
}

func TestDecodeItem(t *testing.T) {
	for _, tc := range []struct {
		in, key string
		ok      bool
	}{
		{`{"key":"t0","cat":"spell","intent":"offensive","mood":"arcane","conf":0.9,"axes":{"fire":1}}`, "t0", true},
		{`{"key":"t1","cat":"spell","intent":"offensive","mood":"arcane","conf":0.9,"axes":[{"axis":"fire","score":1}]}`, "t1", true},
		// An unknown axis is dropped, not a reason to re-ask.
		{`{"key":"t2","cat":"spell","intent":"offensive","mood":"arcane","conf":0.9,"axes":{"plasma":1,"fire":1}}`, "t2", true},
		{`{"key":"t3","cat":"spell","intent":"offensive","mood":"arcane"}`, "t3", false},
		// What models write besides the schema's exact types.
		{`{"key":"t5","cat":"spell","intent":"offensive","mood":"arcane","conf":"0.9","tags":"evocation","sec":"control","energy":["fire","cold"],"axes":{"fire":1}}`, "t5", true},
		{`{"key":"t6","cat":"spell","intent":"offensive","mood":"arcane","conf":0.9,"energy":null,"tags":null,"axes":{"fire":1}}`, "t6", true},
		{`{"key":"t7","cat":"spell","intent":"offensive","mood":"arcane","conf":0.9,"tags":{"a":1}}`, "t7", false},
		{`{"key":"t4","cat":"spell","conf":"high"}`, "t4", false},
	} {
		key, tm, _, err := DecodeItem(json.RawMessage(tc.in))
		if key != tc.key || (err == nil) != tc.ok {
			t.Errorf("%s: key %q err %v", tc.in, key, err)
		}
		if tc.ok && tm.Axes[0] != 1 {
			t.Errorf("%s: axes %v", tc.in, tm.Axes)
		}
		if !tc.ok && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v does not wrap ErrInvalid", tc.in, err)
		}
	}
}

func FuzzDecodeAnswer(f *testing.F) {
	f.Add([]byte(`{"results":[{"key":"t0","cat":"spell","intent":"offensive","mood":"arcane","conf":0.9,"axes":{"fire":1}}]}`))
	f.Add([]byte(`{"results":[{"key":"t0","axes":[{"axis":"fire","score":1}]},{"key":`))
	f.Add([]byte(`{"results":[null,1,"x",{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, _ := ParseResults(data)
		for _, raw := range items {
			_, tm, _, err := DecodeItem(raw)
			if err == nil {
				_ = Repair(&tm)
				for _, v := range tm.Axes {
					if v < 0 || v > 1 {
						t.Fatalf("axis out of range after Repair: %v", v)
					}
				}
			}
		}
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Retry-After": {"3"}}, 3 * time.Second},
		{http.Header{"Retry-After": {"0.5"}}, 500 * time.Millisecond},
		{http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"9"}}, 250 * time.Millisecond},
		{http.Header{"Retry-After": {now.Add(4 * time.Second).Format(http.TimeFormat)}}, 4 * time.Second},
		{http.Header{"Retry-After": {"soon"}}, 0},
		{nil, 0},
	} {
		if got := ParseRetryAfter(tc.h, now); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.h, got, tc.want)
		}
	}
}

func TestBackoffDelayGrowsWithJitter(t *testing.T) {
	b := Backoff{Base: 100 * time.Millisecond, Max: time.Second}
	for attempt, hi := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		hi *= time.Millisecond
		for range 50 {
			d := b.Delay(attempt)
			if d < hi/2 || d > hi {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, hi/2, hi)
			}
		}
	}
}

func TestDoRetriesOnlyRetryable(t *testing.T) {
	lim := NewLimiter(2)
	b := Backoff{Base: time.Millisecond, Attempts: 4}
	calls := 0
	v, err := Do(context.Background(), lim, b, func(context.Context) (int, error) {
		calls++
		if calls < 3 {
			return 0, fault.Retryable(errors.New("529 overloaded"), 0)
		}
		return 7, nil
	})
	if err != nil || v != 7 || calls != 3 {
		t.Fatalf("v %d err %v calls %d", v, err, calls)
	}
	calls = 0
	_, err = Do(context.Background(), lim, b, func(context.Context) (int, error) {
		calls++
		return 0, fmt.Errorf("%w: bad key", ErrUnavailable)
	})
	if calls != 1 || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("fatal error retried: calls %d err %v", calls, err)
	}
	calls = 0
	_, err = Do(context.Background(), lim, b, func(context.Context) (int, error) {
		calls++
		return 0, fault.Retryable(errors.New("500"), 0)
	})
	if calls != 4 || !fault.IsRetryable(err) {
		t.Fatalf("attempts: calls %d err %v", calls, err)
	}
}

func TestLimiterPauseHoldsEveryone(t *testing.T) {
	lim := NewLimiter(4)
	lim.Pause(80 * time.Millisecond)
	start := time.Now()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := lim.Acquire(context.Background())
			if err == nil {
				release()
			}
		}()
	}
	wg.Wait()
	if d := time.Since(start); d < 70*time.Millisecond {
		t.Fatalf("workers went ahead after %v", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	lim.Pause(time.Hour)
	cancel()
	if _, err := lim.Acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire under a cancelled context: %v", err)
	}
}

func TestBudget(t *testing.T) {
	b := &Budget{Max: 1}
	settle, err := b.Reserve(0.6)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Reserve(0.6); !errors.Is(err, ErrBudget) {
		t.Fatalf("over-reservation allowed: %v", err)
	}
	settle(0.3)
	settle(5) // settling twice is ignored
	if b.Spent() != 0.3 {
		t.Fatalf("spent %v", b.Spent())
	}
	if _, err := b.Reserve(0.6); err != nil {
		t.Fatal(err)
	}
	if err := b.Check(2); !errors.Is(err, ErrBudget) {
		t.Fatal("an estimate over the limit must refuse to start")
	}
	var none *Budget
	if _, err := none.Reserve(100); err != nil {
		t.Fatal(err)
	}
}

func TestPricesAndOverride(t *testing.T) {
	tbl, err := LoadPrices(`{"my-model":{"input":2,"output":4}}`)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := tbl.Lookup("claude-haiku-4-5-20251001")
	if !ok || p.Input != 1 || p.Output != 5 {
		t.Fatalf("dated snapshot: %+v %v", p, ok)
	}
	u := Usage{InputTokens: 1e6, OutputTokens: 1e6, CacheWriteTokens: 1e6, CacheReadTokens: 1e6}
	if c := p.Cost(u, false); c < 7.349 || c > 7.351 {
		t.Fatalf("haiku cost %v, want 7.35", c)
	}
	if c := p.Cost(u, true); c < 3.674 || c > 3.676 {
		t.Fatalf("batch cost %v", c)
	}
	if p, ok := tbl.Lookup("my-model"); !ok || p.Output != 4 {
		t.Fatal("override missing")
	}
	if _, ok := tbl.Lookup("llama3"); ok {
		t.Fatal("unknown model priced")
	}
	if _, err := LoadPrices("/no/such/file.json"); err == nil {
		t.Fatal("missing price file accepted")
	}
}

// scriptedSender answers from a script of behaviours per call.
type scriptedSender struct {
	mu    sync.Mutex
	calls [][]string // keys asked per call
	act   func(call int, items []WireItem) (Answer, error)
}

func (s *scriptedSender) Send(_ context.Context, items []WireItem) (Answer, error) {
	s.mu.Lock()
	call := len(s.calls)
	var keys []string
	for _, it := range items {
		keys = append(keys, it.Text)
	}
	s.calls = append(s.calls, keys)
	s.mu.Unlock()
	return s.act(call, items)
}

func good(it WireItem) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"key":%q,"cat":"spell","intent":"utility","mood":"arcane","conf":0.7}`, it.Key))
}

func TestEngineReasksOnlyBadKeysAndFailsCleanly(t *testing.T) {
	s := &scriptedSender{act: func(call int, items []WireItem) (Answer, error) {
		var a Answer
		for i, it := range items {
			if call == 0 && i%2 == 1 {
				a.Results = append(a.Results, json.RawMessage(`{"key":"`+it.Key+`","cat":"bogus","intent":"utility","mood":"arcane","conf":1}`))
				continue
			}
			a.Results = append(a.Results, good(it))
		}
		a.Usage.Requests = 1
		return a, nil
	}}
	e := &Engine{Sender: s, Label: "t/m", Limiter: NewLimiter(1), BatchSize: 10, Workers: 1}
	var each []int
	res, err := e.ClassifyEach(context.Background(), Request{Source: "x", Terms: cands("a", "b", "c", "d")}, func(idx []int, _ []Term) { each = append(each, idx...) })
	if err != nil {
		t.Fatal(err)
	}
	if len(s.calls) != 2 || strings.Join(s.calls[1], ",") != "b,d" || len(each) != 4 || res.Usage.Requests != 2 || res.Usage.TermsSent != 6 {
		t.Fatalf("calls %v each %v usage %+v", s.calls, each, res.Usage)
	}

	never := &scriptedSender{act: func(int, []WireItem) (Answer, error) { return Answer{}, nil }}
	e = &Engine{Sender: never, Label: "t/m", Limiter: NewLimiter(1), MaxAsks: 3, Workers: 2}
	_, err = e.Classify(context.Background(), Request{Source: "x", Terms: cands("a", "b")})
	if err == nil || !strings.Contains(err.Error(), "never came back valid") || len(never.calls) != 3 {
		t.Fatalf("err %v after %d calls", err, len(never.calls))
	}

	fatal := &scriptedSender{act: func(int, []WireItem) (Answer, error) { return Answer{}, fmt.Errorf("%w: key", ErrUnavailable) }}
	e = &Engine{Sender: fatal, Label: "t/m", Limiter: NewLimiter(1), BatchSize: 1, Workers: 2}
	if _, err = e.Classify(context.Background(), Request{Source: "x", Terms: cands("a", "b", "c")}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("fatal: %v", err)
	}
}

func TestEngineHalvesAfterTruncation(t *testing.T) {
	s := &scriptedSender{act: func(call int, items []WireItem) (Answer, error) {
		a := Answer{Usage: Usage{Requests: 1}}
		if len(items) > 2 {
			a.Truncated = true
			items = items[:1]
		}
		for _, it := range items {
			a.Results = append(a.Results, good(it))
		}
		return a, nil
	}}
	e := &Engine{Sender: s, Label: "t/m", Limiter: NewLimiter(1), BatchSize: 8, Workers: 1}
	if _, err := e.Classify(context.Background(), Request{Source: "x", Terms: cands("a", "b", "c", "d", "e", "f", "g", "h")}); err != nil {
		t.Fatal(err)
	}
	for _, c := range s.calls[1:] {
		if len(c) > 4 {
			t.Fatalf("re-ask after truncation not smaller: %v", s.calls)
		}
	}
}

func TestEngineWarmFirstSendsOneRequestBeforeFanningOut(t *testing.T) {
	var mu sync.Mutex
	inflight, maxFirst := 0, 0
	first := true
	s := &scriptedSender{act: func(call int, items []WireItem) (Answer, error) {
		mu.Lock()
		inflight++
		if first && inflight > maxFirst {
			maxFirst = inflight
		}
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		inflight--
		first = false
		mu.Unlock()
		a := Answer{Usage: Usage{Requests: 1}}
		for _, it := range items {
			a.Results = append(a.Results, good(it))
		}
		return a, nil
	}}
	e := &Engine{Sender: s, Label: "t/m", Limiter: NewLimiter(4), BatchSize: 1, Workers: 4, WarmFirst: true}
	if _, err := e.Classify(context.Background(), Request{Source: "x", Terms: cands("a", "b", "c", "d", "e", "f")}); err != nil {
		t.Fatal(err)
	}
	if maxFirst != 1 {
		t.Fatalf("%d requests in flight during the first one", maxFirst)
	}
}

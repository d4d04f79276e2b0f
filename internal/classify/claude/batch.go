package claude

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"

	"github.com/corpora-tools/corpora/internal/fault"
)

// BatchStore keeps batch records across runs; *classify.Cache implements it.
type BatchStore interface {
	BatchRecord(work string) (classify.BatchRecord, bool, error)
	PutBatchRecord(classify.BatchRecord) error
	DeleteBatchRecord(work string) error
	BatchRecords() ([]classify.BatchRecord, error)
}

// BatchProgress reports a batch while it is processed.
type BatchProgress struct {
	BatchID    string
	Status     string // in_progress, canceling, ended
	Requests   int
	Processing int
	Succeeded  int
	Errored    int
	Expired    int
	Canceled   int
	Resumed    bool // the batch was created by an earlier run
	Elapsed    time.Duration
}

// DefaultMaxBatchBytes bounds a batch's body, as the SDK encodes it, well
// under the API's 256 MB limit.
const DefaultMaxBatchBytes = 100 << 20

// maxRounds bounds re-submission of errored, expired and cut terms.
const maxRounds = 8

// BatchClassifier is the claude-batch backend: the same requests as claude,
// through the Message Batches API at half price, with the 1-hour prompt
// cache (a batch takes longer than 5 minutes, and the batch documentation
// advises the 1-hour lifetime for shared context). Before creating a batch
// it records its intent in the store, and the batch id right after, so an
// interrupted run resumes polling the same batch and never pays twice.
type BatchClassifier struct {
	*Classifier
	store    BatchStore
	poll     time.Duration
	maxBytes int
}

// NewBatch returns a claude-batch classifier; cfg.Store is required.
func NewBatch(cfg Config) *BatchClassifier {
	c := New(cfg)
	c.engine.Label = "claude-batch/" + c.cfg.Model
	c.hour = true
	poll := cfg.PollInterval
	if poll <= 0 {
		poll = 30 * time.Second
	}
	mb := cfg.MaxBatchBytes
	if mb <= 0 {
		mb = DefaultMaxBatchBytes
	}
	return &BatchClassifier{Classifier: c, store: cfg.Store, poll: poll, maxBytes: mb}
}

// Backend implements classify.Classifier.
func (b *BatchClassifier) Backend() string { return "claude-batch" }

// CacheScope shares cached answers with the claude backend: same model,
// same prompt, same answers.
func (b *BatchClassifier) CacheScope() string { return "claude" }

// Estimate implements classify.Estimator at batch prices, counting the
// 1-hour cache writes (see estimate).
func (b *BatchClassifier) Estimate(terms []extract.Candidate) classify.Estimate {
	reqs := (len(terms) + b.cfg.BatchSize - 1) / b.cfg.BatchSize
	return b.estimate(terms, b.cfg.BatchSize, reqs >= minHourCacheRequests)
}

// estimate forecasts terms in requests of size, at batch prices, with the
// prompt cached (when it is long enough) for an hour, or for 5 minutes in a
// batch too small for the hour to pay (see minHourCacheRequests).
func (b *BatchClassifier) estimate(terms []extract.Candidate, size int, hour bool) classify.Estimate {
	return estimate(terms, size, b.promptTokens.Load(), b.cacheable.Load(), b.price, b.priceKnown, true, hour, TokenFactor(b.cfg.Model))
}

// Classify implements classify.Classifier.
func (b *BatchClassifier) Classify(ctx context.Context, req classify.Request) (classify.Result, error) {
	return b.ClassifyEach(ctx, req, nil)
}

// batchPart is one request of a batch: positions in the Request.
type batchPart struct {
	idx    []int
	params anthropic.MessageBatchNewParamsRequestParams
	size   int // bytes of the request as the SDK encodes it
}

// group is one batch: its parts and the hash of its content.
type group struct {
	work  string
	parts []batchPart
}

// batchState is what is known of each term of a Request across rounds.
type batchState struct {
	done    []bool
	lastErr []error
	final   []bool // never resubmit: the API called the request invalid
	size    []int  // terms per request for the next round (halved after a cut)
}

// ClassifyEach implements classify.Progressive.
func (b *BatchClassifier) ClassifyEach(ctx context.Context, req classify.Request, each func([]int, []classify.Term)) (classify.Result, error) {
	if b.store == nil {
		return classify.Result{}, errors.New("claude-batch: no batch store")
	}
	n := len(req.Terms)
	res := classify.Result{Terms: make([]classify.Term, n)}
	st := &batchState{done: make([]bool, n), lastErr: make([]error, n), final: make([]bool, n), size: make([]int, n)}
	pending := make([]int, n)
	for i := range pending {
		pending[i] = i
		st.size[i] = b.cfg.BatchSize
	}
	for round := 0; len(pending) > 0 && round < maxRounds; round++ {
		groups, err := b.groups(req, pending, st.size)
		if err != nil {
			return res, err
		}
		var est float64
		for _, gr := range groups {
			for _, p := range gr.parts {
				est += b.estimate(pick(req.Terms, p.idx), len(p.idx), chunks(pending, st.size) >= minHourCacheRequests).Usage.CostUSD
			}
		}
		settle, err := b.cfg.Budget.Reserve(est)
		if err != nil {
			return res, err
		}
		ids := make([]string, len(groups))
		resumed := make([]bool, len(groups))
		for g, gr := range groups {
			ids[g], resumed[g], err = b.submit(ctx, gr)
			if err != nil {
				settle(0)
				return res, err
			}
		}
		var spent float64
		for g, gr := range groups {
			u, err := b.collect(ctx, req, gr, ids[g], resumed[g], st, &res, each)
			res.Usage.Add(u)
			spent += u.CostUSD
			if errors.Is(err, errForeignBatch) || errors.Is(err, errLostBatch) {
				// The recovered batch was not ours after all, or the saved
				// one no longer exists (deleted, another workspace, results
				// past their 29 days): forget it and submit this work again
				// in the next round.
				if b.engine.Warnf != nil {
					b.engine.Warnf("claude-batch: %v; submitting its terms again", err)
				}
				if derr := b.store.DeleteBatchRecord(gr.work); derr != nil {
					settle(spent)
					return res, derr
				}
				continue
			}
			if err != nil {
				settle(spent)
				return res, err
			}
		}
		settle(spent)
		var next []int
		for _, i := range pending {
			if !st.done[i] && !st.final[i] {
				next = append(next, i)
			}
		}
		pending = next
	}
	var gaveUp []int
	for i := range n {
		if !st.done[i] {
			gaveUp = append(gaveUp, i)
		}
	}
	if err := classify.Settle(ctx, b.engine.Fallback, b.engine.Label, req, &res, gaveUp, st.lastErr); err != nil {
		return res, err
	}
	return res, nil
}

func pick(terms []extract.Candidate, idx []int) []extract.Candidate {
	out := make([]extract.Candidate, len(idx))
	for k, i := range idx {
		out[k] = terms[i]
	}
	return out
}

// groups packs pending terms into requests of their chunk size and the
// requests into batches within the API's limits, measuring each request as
// the SDK encodes it (its JSON escapes &, < and >, so a body runs 1.2-1.8
// times the naive length). The work hash covers the model, prompt and every
// request's content, so the same pending terms give the same hash on a
// re-run.
func (b *BatchClassifier) groups(req classify.Request, pending []int, size []int) ([]group, error) {
	maxReq := b.cfg.MaxRequests
	if maxReq <= 0 {
		maxReq = 10000
	}
	var groups []group
	var cur []batchPart
	curBytes := 0
	sh := b.shape()
	if chunks(pending, size) < minHourCacheRequests {
		sh.hour = false
	}
	flush := func() {
		if len(cur) == 0 {
			return
		}
		h := sha256.New()
		fmt.Fprintf(h, "%s\x00%s\x00%v\x00%v\x00%v\x00", b.cfg.Model, classify.PromptVersion, sh.cacheable, sh.hour, sh.strict)
		for _, p := range cur {
			for _, i := range p.idx {
				t := req.Terms[i]
				fmt.Fprintf(h, "%s\x00%s\x00%s\x00", t.Text, t.POS, t.Context)
			}
			h.Write([]byte{1})
		}
		groups = append(groups, group{work: hex.EncodeToString(h.Sum(nil)), parts: cur})
		cur, curBytes = nil, 0
	}
	for start := 0; start < len(pending); {
		end := chunkEnd(pending, size, start)
		idx := pending[start:end:end]
		start = end
		items := make([]classify.WireItem, len(idx))
		for k, i := range idx {
			items[k] = classify.NewItem(classify.ItemKey(k), req.Terms[i])
		}
		p := sh.params(items)
		params := anthropic.MessageBatchNewParamsRequestParams{
			Model: p.Model, MaxTokens: p.MaxTokens, System: p.System, Tools: p.Tools, ToolChoice: p.ToolChoice,
			Thinking: p.Thinking, Messages: p.Messages,
		}
		body, err := anthropic.MessageBatchNewParamsRequest{CustomID: customID(strings.Repeat("0", 64), maxReq), Params: params}.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("claude-batch: encoding a request: %w", err)
		}
		part := batchPart{idx: idx, size: len(body) + 1, params: params}
		if part.size+64 > b.maxBytes {
			return nil, fmt.Errorf("claude-batch: one request of %d terms is %d bytes, over the %d-byte batch limit", len(idx), part.size, b.maxBytes)
		}
		if len(cur) >= maxReq || curBytes+part.size+64 > b.maxBytes {
			flush()
		}
		cur = append(cur, part)
		curBytes += part.size
	}
	flush()
	return groups, nil
}

// minHourCacheRequests is the fewest requests for which a batch marks its
// prompt for the 1-hour cache: a write costs 2x the input price and a hit
// 0.1x, so caching pays from two hits; a smaller batch marks it for the
// 5-minute cache (1.25x a write), as SPEC asks of every prompt long enough
// to cache and as 1.0 sent every batch request: one request pays a quarter
// of its prompt more, two save when the second hits.
const minHourCacheRequests = 3

// chunkEnd is where the request starting at pending[start] ends: up to its
// terms' chunk size, with terms of the same chunk size.
func chunkEnd(pending, size []int, start int) int {
	limit := max(1, size[pending[start]])
	end := start + 1
	for end < len(pending) && end-start < limit && size[pending[end]] == limit {
		end++
	}
	return end
}

// chunks counts the requests pending makes.
func chunks(pending, size []int) int {
	n := 0
	for start := 0; start < len(pending); start = chunkEnd(pending, size, start) {
		n++
	}
	return n
}

func customID(work string, part int) string { return work[:24] + "-" + strconv.Itoa(part) }

// submit returns the batch id for a group: the recorded one, a batch found
// on the server for a create whose answer was lost, or a new batch. One
// intent is kept across every attempt (and across runs), so a lookup after
// a failed create covers every batch any attempt may have made; when that
// lookup itself fails, submit fails rather than risk paying twice.
func (b *BatchClassifier) submit(ctx context.Context, gr group) (id string, resumed bool, err error) {
	rec, found, err := b.store.BatchRecord(gr.work)
	if err != nil {
		return "", false, err
	}
	if found && rec.BatchID != "" {
		return rec.BatchID, true, nil
	}
	if found {
		id, err := b.recoverLost(ctx, rec)
		if err != nil {
			return "", false, err
		}
		if id != "" {
			rec.BatchID = id
			return id, true, b.store.PutBatchRecord(rec)
		}
	} else {
		rec = classify.BatchRecord{Work: gr.work, Backend: "claude-batch", Requests: len(gr.parts), Intent: time.Now().UTC()}
		if err := b.store.PutBatchRecord(rec); err != nil { // intent first: a lost answer is found again
			return "", false, err
		}
	}
	params := anthropic.MessageBatchNewParams{}
	for k, p := range gr.parts {
		params.Requests = append(params.Requests, anthropic.MessageBatchNewParamsRequest{CustomID: customID(gr.work, k), Params: p.params})
	}
	bo := b.cfg.Backoff
	if bo.Attempts <= 0 {
		bo.Attempts = 6
	}
	for attempt := 0; ; attempt++ {
		release, err := b.limiter.Acquire(ctx)
		if err != nil {
			return "", false, err
		}
		batch, err := b.client.Messages.Batches.New(ctx, params)
		release()
		if err == nil {
			rec.BatchID = batch.ID
			rec.Status = string(batch.ProcessingStatus)
			return batch.ID, false, b.store.PutBatchRecord(rec)
		}
		err = classifyErr(ctx, err, b.limiter)
		if !fault.IsRetryable(err) || attempt+1 >= bo.Attempts {
			// The intent stays recorded: a later run looks for a batch
			// this create may have made before creating another.
			return "", false, fmt.Errorf("claude-batch: create: %w", err)
		}
		if err := classify.Sleep(ctx, max(bo.Delay(attempt), fault.RetryAfter(err))); err != nil {
			return "", false, err
		}
		// The create may have succeeded with its answer lost: look before
		// creating again, and do not create again without having looked.
		id, lerr := b.recoverLost(ctx, rec)
		if lerr != nil {
			return "", false, fmt.Errorf("claude-batch: create failed (%v) and the lookup for a batch it may have made failed too: %w", err, lerr)
		}
		if id != "" {
			rec.BatchID = id
			return id, true, b.store.PutBatchRecord(rec)
		}
	}
}

// recoverLost looks on the server for a batch created for rec after its
// intent was recorded: same number of requests, created no earlier than a
// minute before the intent (clock skew), and not claimed by another
// record. The results' custom_ids confirm the match later (errForeignBatch).
func (b *BatchClassifier) recoverLost(ctx context.Context, rec classify.BatchRecord) (string, error) {
	claimed := map[string]bool{}
	recs, err := b.store.BatchRecords()
	if err != nil {
		return "", fmt.Errorf("claude-batch: reading batch records: %w", err)
	}
	for _, r := range recs {
		if r.BatchID != "" && r.Work != rec.Work {
			claimed[r.BatchID] = true
		}
	}
	since := rec.Intent.Add(-time.Minute)
	var match string
	var matchAt time.Time
	pager := b.client.Messages.Batches.ListAutoPaging(ctx, anthropic.MessageBatchListParams{Limit: anthropic.Int(100)})
	for pager.Next() {
		bt := pager.Current()
		if bt.CreatedAt.Before(since) {
			break // newest first: everything after is older
		}
		c := bt.RequestCounts
		total := c.Processing + c.Succeeded + c.Errored + c.Canceled + c.Expired
		if int(total) != rec.Requests || claimed[bt.ID] {
			continue
		}
		if match == "" || bt.CreatedAt.Before(matchAt) {
			match, matchAt = bt.ID, bt.CreatedAt
		}
	}
	if err := pager.Err(); err != nil {
		return "", fmt.Errorf("claude-batch: list batches: %w", classifyErr(ctx, err, b.limiter))
	}
	return match, nil
}

var (
	errForeignBatch = errors.New("batch results do not belong to this work")
	errLostBatch    = errors.New("the saved batch no longer exists")
)

// lost turns a 404 on a saved batch (or its results) into errLostBatch.
func lost(ctx context.Context, id string, err error, lim *classify.Limiter) error {
	var apiErr *anthropic.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return fault.MarkNoRetry(fmt.Errorf("%w: batch %s: HTTP 404: %s", errLostBatch, id, apiErr.Message))
	}
	return classifyErr(ctx, err, lim)
}

// collect waits for a batch to end, then reads its results into res and st.
func (b *BatchClassifier) collect(ctx context.Context, req classify.Request, gr group, id string, resumed bool,
	st *batchState, res *classify.Result, each func([]int, []classify.Term)) (classify.Usage, error) {
	start := time.Now()
	for {
		bt, err := classify.Do(ctx, b.limiter, b.cfg.Backoff, func(ctx context.Context) (*anthropic.MessageBatch, error) {
			bt, err := b.client.Messages.Batches.Get(ctx, id, anthropic.MessageBatchGetParams{})
			if err != nil {
				return nil, lost(ctx, id, err, b.limiter)
			}
			return bt, nil
		})
		if errors.Is(err, errLostBatch) {
			return classify.Usage{}, err
		}
		if err != nil {
			return classify.Usage{}, fmt.Errorf("claude-batch: batch %s: %w", id, err)
		}
		if b.cfg.Progress != nil {
			c := bt.RequestCounts
			b.cfg.Progress(BatchProgress{BatchID: id, Status: string(bt.ProcessingStatus), Requests: len(gr.parts),
				Processing: int(c.Processing), Succeeded: int(c.Succeeded), Errored: int(c.Errored), Expired: int(c.Expired),
				Canceled: int(c.Canceled), Resumed: resumed, Elapsed: time.Since(start)})
		}
		if bt.ProcessingStatus == anthropic.MessageBatchProcessingStatusEnded {
			break
		}
		if err := classify.Sleep(ctx, b.poll); err != nil {
			return classify.Usage{}, err
		}
	}
	lines, err := classify.Do(ctx, b.limiter, b.cfg.Backoff, func(ctx context.Context) ([]anthropic.MessageBatchIndividualResponse, error) {
		stream := b.client.Messages.Batches.ResultsStreaming(ctx, id, anthropic.MessageBatchResultsParams{})
		defer stream.Close()
		var out []anthropic.MessageBatchIndividualResponse
		for stream.Next() {
			out = append(out, stream.Current())
		}
		if err := stream.Err(); err != nil {
			return nil, lost(ctx, id, err, b.limiter)
		}
		return out, nil
	})
	if errors.Is(err, errLostBatch) {
		return classify.Usage{}, err
	}
	if err != nil {
		return classify.Usage{}, fmt.Errorf("claude-batch: results of %s: %w", id, err)
	}
	prefix := customID(gr.work, 0)
	prefix = prefix[:strings.LastIndexByte(prefix, '-')+1]
	var usage classify.Usage
	var okIdx []int
	var okTerms []classify.Term
	tally := &classify.Tally{Req: req, Label: b.engine.Label, Warnf: b.engine.Warnf, Terms: res.Terms, Done: st.done, LastErr: st.lastErr}
	errored, firstErr := 0, error(nil) // requests to resubmit, and the first one's error
	defer func() {
		if errored > 0 && b.engine.Warnf != nil {
			b.engine.Warnf("claude-batch: %s: %d request(s) of %s failed, their terms resubmitted: %v", req.Source, errored, id, firstErr)
		}
	}()
	for _, line := range lines {
		if !strings.HasPrefix(line.CustomID, prefix) {
			return usage, fmt.Errorf("%w: %s has custom_id %q", errForeignBatch, id, line.CustomID)
		}
		k, err := strconv.Atoi(line.CustomID[len(prefix):])
		if err != nil || k < 0 || k >= len(gr.parts) {
			continue
		}
		part := gr.parts[k]
		if line.Result.Type != "succeeded" {
			e := fmt.Errorf("batch request %s", line.Result.Type)
			if ae := line.Result.Error.Error; line.Result.Type == "errored" && (ae.Type != "" || ae.Message != "") {
				e = fmt.Errorf("batch request errored: %s: %s", ae.Type, ae.Message)
			}
			invalid := line.Result.Error.Error.Type == "invalid_request_error"
			for _, i := range part.idx {
				st.lastErr[i] = e
				// A request the API called invalid fails the same way again.
				st.final[i] = st.final[i] || invalid
			}
			if invalid && b.engine.Warnf != nil {
				b.engine.Warnf("claude-batch: %s: %d term(s) not resubmitted: %v", req.Source, len(part.idx), e)
			}
			if !invalid {
				if errored == 0 {
					firstErr = e
				}
				errored++
			}
			continue
		}
		msg := line.Result.Message
		ans := answerOf(&msg, b.price, true, true)
		usage.Add(ans.Usage)
		usage.TermsSent += len(part.idx)
		ti, tt := tally.Take(part.idx, ans.Results, &usage)
		okIdx, okTerms = append(okIdx, ti...), append(okTerms, tt...)
		for _, i := range part.idx {
			if !st.done[i] && st.lastErr[i] == nil {
				st.lastErr[i] = fmt.Errorf("%w: no result", classify.ErrInvalid)
			}
		}
		if ans.Truncated || ans.Refused {
			// As the live path does: what the output limit cut (or the
			// model refused) is asked again in halved requests; a term
			// refused alone is not asked again.
			half := max(1, min(st.size[part.idx[0]], len(part.idx))/2)
			for _, i := range part.idx {
				if st.done[i] {
					continue
				}
				st.size[i] = half
				if ans.Refused {
					st.lastErr[i] = fmt.Errorf("%w: the model refused (stop_reason refusal)", classify.ErrInvalid)
					st.final[i] = st.final[i] || len(part.idx) == 1
				} else {
					st.lastErr[i] = fmt.Errorf("%w: cut by max_tokens", classify.ErrInvalid)
				}
			}
		}
	}
	if each != nil && len(okIdx) > 0 {
		each(okIdx, okTerms)
	}
	if err := b.store.DeleteBatchRecord(gr.work); err != nil {
		return usage, err
	}
	return usage, nil
}

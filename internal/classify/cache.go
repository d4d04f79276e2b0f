package classify

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/corpora-tools/corpora/internal/extract"
)

// CacheFileName is the cache's file name in the output folder.
const CacheFileName = ".corpora-cache.db"

var (
	termsBucket   = []byte("terms")
	batchesBucket = []byte("batches")
)

// Cache is the classification cache: every validated classification, keyed
// by backend, model, prompt version, lemma and part of speech, plus the
// records of submitted batches.
//
// It is a bbolt file: a single file, copy-on-write B+tree with checksummed
// meta pages, so a kill -9 mid-write leaves the last committed state; and a
// flock on the file serialises writers across processes. The file is opened
// for each transaction and closed after it, so several corpora processes can
// share one cache (a writer holds the lock for milliseconds, not for the
// whole run); readers take a shared lock. SQLite (modernc.org/sqlite) would
// give the same guarantees but adds a large pure-Go dependency and a
// build-time cost for what is a key-value lookup.
type Cache struct {
	path    string
	timeout time.Duration
	mu      sync.RWMutex // in-process: flock is per open file, this keeps our own goroutines orderly
}

// CacheKey identifies one cached classification.
type CacheKey struct {
	Backend, Model, PromptVersion, Lemma string
	POS                                  extract.POS
}

func (k CacheKey) bytes() []byte {
	return []byte(k.Backend + "\x00" + k.Model + "\x00" + k.PromptVersion + "\x00" + string(k.POS) + "\x00" + k.Lemma)
}

// cachedTerm is what is stored: only what the model decided. Code-owned
// fields (id, source, count, pages, context) come from the document at hand.
type cachedTerm struct {
	Intent           Intent             `json:"intent"`
	Axes             [AxisCount]float64 `json:"axes"` // a plain array: decoding is 10x faster than the Axes object`
	Tags             []string           `json:"tags"`
	Category         Category           `json:"category"`
	Canonical        string             `json:"canonical"`
	Mood             Mood               `json:"mood"`
	Energy           string             `json:"energy"`
	Confidence       float64            `json:"confidence"`
	SecondaryIntents []Intent           `json:"secondary_intents"`
	Classifier       string             `json:"classifier"`
	At               string             `json:"at"`
}

// OpenCache opens (creating if needed) the cache file at path. lockTimeout
// bounds the wait for another process's transaction (default 30s).
func OpenCache(path string, lockTimeout time.Duration) (*Cache, error) {
	if lockTimeout <= 0 {
		lockTimeout = 30 * time.Second
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("cache %s: %w", path, err)
	}
	c := &Cache{path: path, timeout: lockTimeout}
	err := c.update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{termsBucket, batchesBucket} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Path is the cache file.
func (c *Cache) Path() string { return c.path }

// Close releases the cache. The file is not held open between
// transactions, so there is nothing to release; Close exists so callers
// need not know that.
func (c *Cache) Close() error { return nil }

func (c *Cache) open(readOnly bool) (*bolt.DB, error) {
	db, err := bolt.Open(c.path, 0o644, &bolt.Options{Timeout: c.timeout, ReadOnly: readOnly})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("cache %s: locked by another process for more than %s: %w", c.path, c.timeout, err)
		}
		return nil, fmt.Errorf("cache %s: %w", c.path, err)
	}
	return db, nil
}

func (c *Cache) update(fn func(*bolt.Tx) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	db, err := c.open(false)
	if err != nil {
		return err
	}
	err = db.Update(fn)
	if cerr := db.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cache %s: %w", c.path, err)
	}
	return nil
}

func (c *Cache) view(fn func(*bolt.Tx) error) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	db, err := c.open(true)
	if err != nil {
		return err
	}
	err = db.View(fn)
	db.Close()
	if err != nil {
		return fmt.Errorf("cache %s: %w", c.path, err)
	}
	return nil
}

// GetMany looks up keys; found[i] reports whether terms[i] holds a cached
// classification (model-owned fields and Classifier only).
func (c *Cache) GetMany(keys []CacheKey) (terms []Term, found []bool, err error) {
	terms = make([]Term, len(keys))
	found = make([]bool, len(keys))
	err = c.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(termsBucket)
		if b == nil {
			return nil
		}
		for i, k := range keys {
			v := b.Get(k.bytes())
			if v == nil {
				continue
			}
			var ct cachedTerm
			if json.Unmarshal(v, &ct) != nil {
				continue // unreadable entry: treat as a miss, it will be re-asked and overwritten
			}
			terms[i] = Term{Intent: ct.Intent, Axes: ct.Axes, Tags: ct.Tags, Category: ct.Category,
				Canonical: ct.Canonical, Mood: ct.Mood, Energy: ct.Energy, Confidence: Score(ct.Confidence),
				SecondaryIntents: ct.SecondaryIntents, Classifier: ct.Classifier}
			found[i] = true
		}
		return nil
	})
	return terms, found, err
}

// PutMany stores classifications in one transaction (one fsync).
func (c *Cache) PutMany(keys []CacheKey, terms []Term) error {
	if len(keys) == 0 {
		return nil
	}
	now := time.Now().UTC().Format(time.RFC3339)
	return c.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(termsBucket)
		if err != nil {
			return err
		}
		for i, k := range keys {
			t := terms[i]
			v, err := json.Marshal(cachedTerm{Intent: t.Intent, Axes: t.Axes, Tags: t.Tags, Category: t.Category,
				Canonical: t.Canonical, Mood: t.Mood, Energy: t.Energy, Confidence: float64(t.Confidence),
				SecondaryIntents: t.SecondaryIntents, Classifier: t.Classifier, At: now})
			if err != nil {
				return err
			}
			if err := b.Put(k.bytes(), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Len counts cached classifications.
func (c *Cache) Len() (int, error) {
	n := 0
	err := c.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(termsBucket); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	return n, err
}

// BatchRecord remembers one submitted (or about to be submitted) batch of
// work, so an interrupted run resumes it instead of paying twice.
type BatchRecord struct {
	Work      string    `json:"work"`               // hash of the requests' content
	Backend   string    `json:"backend"`            // "claude-batch"
	BatchID   string    `json:"batch_id,omitempty"` // empty: create was attempted but its answer not seen
	Requests  int       `json:"requests"`
	Intent    time.Time `json:"intent"` // just before create was sent
	Status    string    `json:"status,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// BatchRecord returns the record for work, if any.
func (c *Cache) BatchRecord(work string) (BatchRecord, bool, error) {
	var r BatchRecord
	found := false
	err := c.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(batchesBucket)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(work))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &r)
	})
	return r, found, err
}

// PutBatchRecord stores r (committed and fsynced when it returns).
func (c *Cache) PutBatchRecord(r BatchRecord) error {
	r.UpdatedAt = time.Now().UTC()
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return c.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(batchesBucket)
		if err != nil {
			return err
		}
		return b.Put([]byte(r.Work), v)
	})
}

// DeleteBatchRecord forgets the record for work.
func (c *Cache) DeleteBatchRecord(work string) error {
	return c.update(func(tx *bolt.Tx) error {
		if b := tx.Bucket(batchesBucket); b != nil {
			return b.Delete([]byte(work))
		}
		return nil
	})
}

// BatchRecords lists every batch record.
func (c *Cache) BatchRecords() ([]BatchRecord, error) {
	var out []BatchRecord
	err := c.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(batchesBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var r BatchRecord
			if json.Unmarshal(v, &r) == nil {
				out = append(out, r)
			}
			return nil
		})
	})
	return out, err
}

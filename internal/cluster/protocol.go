package cluster

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/corpora-tools/corpora/internal/classify"
)

// Names of the JetStream resources corpora uses; docs/cluster.md lists them.
const (
	JobStream      = "CORPORA_JOBS"     // work queue of jobs
	JobSubject     = "corpora.jobs"     // where jobs are published
	WorkerConsumer = "corpora-workers"  // the workers' shared durable pull consumer
	SourceBucket   = "corpora-sources"  // object store: document bytes by content hash
	ResultBucket   = "corpora-results"  // object store: results by job id
	AttemptBucket  = "corpora-attempts" // key-value: failed attempts by job id
	LeaseBucket    = "corpora-leases"   // key-value: one coordinator per output folder
	EventPrefix    = "corpora.events."  // core NATS: EventPrefix + job id, worker progress
)

// Defaults of the delivery settings.
const (
	DefaultAckWait    = time.Minute
	DefaultMaxDeliver = 5
	// DefaultKeep is how long sources and results stay in their stores.
	DefaultKeep = 7 * 24 * time.Hour
	leaseTTL    = 30 * time.Second
)

// ErrUnavailable: the NATS server cannot be reached or has no JetStream.
var ErrUnavailable = errors.New("NATS unavailable")

// JobMsg is one document to analyse, as published on JobSubject.
type JobMsg struct {
	ID       string `json:"id"`
	Source   string `json:"source"` // the path relative to the input folder, for display
	Name     string `json:"name"`   // the file name, whose extension picks the parser
	Hash     string `json:"hash"`   // the content's SHA-256: the object in SourceBucket
	Size     int64  `json:"size"`
	Pipeline string `json:"pipeline"` // the coordinator's fingerprint, checked by the worker
	Tool     string `json:"tool"`
	OCR      string `json:"ocr"`
	// KeepGeneric, MaxCandidates and MinScore are extract.Options.
	KeepGeneric   bool    `json:"keep_generic,omitempty"`
	MaxCandidates int     `json:"max_candidates,omitempty"`
	MinScore      float64 `json:"min_score,omitempty"`
	Backend       string  `json:"backend"`
	Model         string  `json:"model"`
	// BlocklistHash completes the fingerprint: flagging is the
	// coordinator's, which has the blocklist.
	BlocklistHash string `json:"blocklist_hash"`
}

// ResultMsg is a worker's account of a job, stored in ResultBucket.
type ResultMsg struct {
	ID         string          `json:"id"`
	Worker     string          `json:"worker"`
	Terms      []classify.Term `json:"terms"`
	Extracted  int             `json:"extracted"`
	Dropped    int             `json:"dropped"`
	Usage      classify.Usage  `json:"usage"`
	Attempts   int             `json:"attempts"`
	DurationMS int64           `json:"duration_ms"`
	// Stage and Error are set when the job failed for good; Fatal when
	// every later job would fail the same way (the batch stops).
	Stage string `json:"stage,omitempty"`
	Error string `json:"error,omitempty"`
	Fatal bool   `json:"fatal,omitempty"`
}

// EventMsg is a worker's progress report on EventPrefix + job id.
type EventMsg struct {
	Worker  string `json:"worker"`
	Kind    string `json:"kind"` // stage, progress or retry
	Stage   string `json:"stage,omitempty"`
	Attempt int    `json:"attempt,omitempty"`
	Done    int    `json:"done,omitempty"`
	Of      int    `json:"of,omitempty"`
	Error   string `json:"error,omitempty"`
}

// JobID is a job's id: the document's content hash, its path (the terms
// name their source) and the pipeline fingerprint. The bytes travel once per
// content whatever the path: the source store is keyed by hash alone.
func JobID(hash, rel, pipeline string) string {
	sum := sha256.Sum256([]byte(hash + "\n" + rel + "\n" + pipeline))
	return hex.EncodeToString(sum[:16])
}

// Connect dials url and opens JetStream. name identifies the client in the
// server's monitoring.
func Connect(url, name string) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect(url, nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(time.Second))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %w", ErrUnavailable, url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("%w: %s: %w", ErrUnavailable, url, err)
	}
	return nc, js, nil
}

// stores are the JetStream resources, created when missing.
type stores struct {
	jobs     jetstream.Stream
	sources  jetstream.ObjectStore
	results  jetstream.ObjectStore
	attempts jetstream.KeyValue
	leases   jetstream.KeyValue
}

// setup binds the JetStream resources, creating those that are missing.
// Resources that exist are used as they are: only the coordinator (owner)
// updates one whose settings differ from its own (keep, when not 0, is its
// retention). A worker starting never rewrites the cluster's settings, and
// nobody sends an update that changes nothing: besides being needless, a
// stream update racing a worker's consumer creation is a data race inside
// nats-server 2.15 (filestore UpdateConfig against ConsumerStore), which
// the race detector caught in TestClusterMatchesLocal.
func setup(ctx context.Context, js jetstream.JetStream, keep time.Duration, owner bool) (*stores, error) {
	if keep <= 0 {
		keep = DefaultKeep
	}
	var s stores
	var err error
	wrap := func(what string, err error) error {
		return fmt.Errorf("%w: create %s: %w", ErrUnavailable, what, err)
	}
	jobCfg := jetstream.StreamConfig{
		Name: JobStream, Subjects: []string{JobSubject}, Retention: jetstream.WorkQueuePolicy,
		Storage: jetstream.FileStorage, Duplicates: time.Hour, MaxAge: keep,
	}
	if s.jobs, err = ensure(ctx,
		func(ctx context.Context) (jetstream.Stream, error) { return js.Stream(ctx, JobStream) },
		jetstream.ErrStreamNotFound,
		func(ctx context.Context) (jetstream.Stream, error) { return js.CreateStream(ctx, jobCfg) },
		func(st jetstream.Stream) bool {
			c := st.CachedInfo().Config
			return !owner || (c.MaxAge == jobCfg.MaxAge && c.Duplicates == jobCfg.Duplicates)
		},
		func(ctx context.Context) (jetstream.Stream, error) { return js.UpdateStream(ctx, jobCfg) },
	); err != nil {
		return nil, wrap("stream "+JobStream, err)
	}
	objects := func(bucket string) (jetstream.ObjectStore, error) {
		cfg := jetstream.ObjectStoreConfig{Bucket: bucket, TTL: keep, Storage: jetstream.FileStorage}
		return ensure(ctx,
			func(ctx context.Context) (jetstream.ObjectStore, error) { return js.ObjectStore(ctx, bucket) },
			jetstream.ErrBucketNotFound,
			func(ctx context.Context) (jetstream.ObjectStore, error) { return js.CreateObjectStore(ctx, cfg) },
			func(o jetstream.ObjectStore) bool {
				if !owner {
					return true
				}
				st, err := o.Status(ctx)
				return err != nil || st.TTL() == keep
			},
			func(ctx context.Context) (jetstream.ObjectStore, error) { return js.UpdateObjectStore(ctx, cfg) },
		)
	}
	if s.sources, err = objects(SourceBucket); err != nil {
		return nil, wrap("object store "+SourceBucket, err)
	}
	if s.results, err = objects(ResultBucket); err != nil {
		return nil, wrap("object store "+ResultBucket, err)
	}
	if s.attempts, err = ensureKV(ctx, js, jetstream.KeyValueConfig{Bucket: AttemptBucket, TTL: keep, Storage: jetstream.FileStorage}, owner); err != nil {
		return nil, wrap("key-value bucket "+AttemptBucket, err)
	}
	if s.leases, err = ensureKV(ctx, js, jetstream.KeyValueConfig{Bucket: LeaseBucket, TTL: leaseTTL, Storage: jetstream.FileStorage}, owner); err != nil {
		return nil, wrap("key-value bucket "+LeaseBucket, err)
	}
	return &s, nil
}

// ensureKV binds the key-value bucket cfg describes, as setup binds its
// resources: created when missing, updated only by an owner whose TTL
// differs.
func ensureKV(ctx context.Context, js jetstream.JetStream, cfg jetstream.KeyValueConfig, owner bool) (jetstream.KeyValue, error) {
	return ensure(ctx,
		func(ctx context.Context) (jetstream.KeyValue, error) { return js.KeyValue(ctx, cfg.Bucket) },
		jetstream.ErrBucketNotFound,
		func(ctx context.Context) (jetstream.KeyValue, error) { return js.CreateKeyValue(ctx, cfg) },
		func(kv jetstream.KeyValue) bool {
			if !owner {
				return true
			}
			st, err := kv.Status(ctx)
			return err != nil || st.TTL() == cfg.TTL
		},
		func(ctx context.Context) (jetstream.KeyValue, error) { return js.UpdateKeyValue(ctx, cfg) },
	)
}

// ensure looks a resource up, creates it when it is missing (looking it up
// again when another participant created it first) and updates it when it
// is not as wanted.
func ensure[T any](ctx context.Context, lookup func(context.Context) (T, error), missing error,
	create func(context.Context) (T, error), asWanted func(T) bool, update func(context.Context) (T, error)) (T, error) {
	v, err := lookup(ctx)
	if errors.Is(err, missing) {
		if v, err = create(ctx); err == nil {
			return v, nil
		}
		// Perhaps created meanwhile by another coordinator or worker.
		lv, lerr := lookup(ctx)
		if lerr != nil {
			return v, err
		}
		v, err = lv, nil
	}
	if err != nil || asWanted(v) {
		return v, err
	}
	return update(ctx)
}

// resultExists reports whether the result of job id is in the store.
func resultExists(ctx context.Context, obs jetstream.ObjectStore, id string) (bool, error) {
	info, err := obs.GetInfo(ctx, id)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !info.Deleted, nil
}

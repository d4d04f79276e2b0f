package batch

import (
	"encoding/json"
	"os"
	"sync"
	"time"
)

// errorLog appends one JSON line per failed attempt to OUT/batch-errors.log.
// Each line goes out in a single write on an O_APPEND file, so a kill -9 can at
// worst lose the line being written, never garble an earlier one.
type errorLog struct {
	mu sync.Mutex
	f  *os.File
}

// ErrorLogEntry is one line of batch-errors.log.
type ErrorLogEntry struct {
	Time     time.Time `json:"time"`
	Document string    `json:"document"`
	Stage    Stage     `json:"stage"`
	Attempt  int       `json:"attempt"`
	Error    string    `json:"error"`
}

func openErrorLog(path string) (*errorLog, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &errorLog{f: f}, nil
}

// log appends an entry; a log that cannot be written does not stop the batch,
// the error is still reported inline.
func (l *errorLog) log(t time.Time, doc string, stage Stage, attempt int, err error) {
	if l == nil {
		return
	}
	line, _ := json.Marshal(ErrorLogEntry{Time: t.UTC(), Document: doc, Stage: stage, Attempt: attempt, Error: err.Error()})
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.f.Write(line)
}

func (l *errorLog) close() {
	if l != nil {
		l.f.Close()
	}
}

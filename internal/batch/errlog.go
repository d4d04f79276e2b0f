package batch

import (
	"encoding/json"
	"os"
	"sync"
	"time"
)

// errorLog appends one JSON line per failed attempt to OUT/batch-errors.log.
// Each line goes out in a single write on an O_APPEND file, so a kill -9 can at
// worst lose the line being written, never garble an earlier one. The file
// is created with the first error, as 1.0 did: a clean run leaves none.
type errorLog struct {
	mu   sync.Mutex
	path string
	f    *os.File
}

// ErrorLogEntry is one line of batch-errors.log.
type ErrorLogEntry struct {
	Time     time.Time `json:"time"`
	Document string    `json:"document"`
	Stage    Stage     `json:"stage"`
	Attempt  int       `json:"attempt"`
	Error    string    `json:"error"`
}

func openErrorLog(path string) *errorLog { return &errorLog{path: path} }

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
	if l.f == nil {
		f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return
		}
		l.f = f
	}
	_, _ = l.f.Write(line)
}

func (l *errorLog) close() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
}

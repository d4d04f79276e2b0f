// Package natstest starts an embedded NATS server with JetStream for tests.
// Only tests import it, so the server is not linked into corpora.
package natstest

import (
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Server is an embedded NATS server on loopback.
type Server struct {
	*server.Server
	opts *server.Options
}

// Start starts a JetStream server on a free loopback port with its store in
// dir ("" is a test temporary folder); it is shut down when the test ends.
func Start(t testing.TB, dir string) *Server {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	return start(t, &server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
}

func start(t testing.TB, opts *server.Options) *Server {
	t.Helper()
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	srv := &Server{Server: s, opts: opts}
	t.Cleanup(srv.Stop)
	return srv
}

// Stop shuts the server down and waits for it.
func (s *Server) Stop() {
	s.Shutdown()
	s.WaitForShutdown()
}

// Restart stops the server and starts it again on the same port and store.
func (s *Server) Restart(t testing.TB) *Server {
	t.Helper()
	opts := *s.opts
	opts.Port = s.Server.Addr().(*net.TCPAddr).Port
	s.Stop()
	return start(t, &opts)
}

package cluster

import (
	"testing"

	"github.com/corpora-tools/corpora/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

package lemma

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestLemma(t *testing.T) {
	l := Default()
	tests := []struct {
		word string
		pos  POS
		want string
	}{
		{"dwarves", Noun, "dwarf"},
		{"smote", Verb, "smite"},
		{"stolen", Verb, "steal"},
		{"spells", Noun, "spell"},
		{"casts", Verb, "cast"},
		{"casting", Verb, "cast"},
		{"hoped", Verb, "hope"},
		{"wolves", Noun, "wolf"},
		{"elves", Noun, "elf"},
		{"witches", Noun, "witch"},
		{"fairies", Noun, "fairy"},
		{"buses", Noun, "bus"},
		{"axes", Noun, "ax"}, // noun.exc lists ax before axis,
		{"swords", Noun, "sword"},
		{"flew", Verb, "fly"},
		{"slain", Verb, "slay"},
		{"darker", Adjective, "dark"},
		{"darkest", Adjective, "dark"},
		{"mordenkainen", Noun, "mordenkainen"},
		{"tieflings", Noun, "tieflings"}, // unknown to WordNet: unchanged
		{"fire", Noun, "fire"},
		{"glass", Noun, "glass"},
		{"hit", Noun, "hit"},
		{"dice", Noun, "dice"}, // a WordNet lemma itself,
	}
	for _, tt := range tests {
		if got := l.Lemma(tt.word, tt.pos); got != tt.want {
			t.Errorf("Lemma(%q, %d) = %q, want %q", tt.word, tt.pos, got, tt.want)
		}
	}
}

func TestCount(t *testing.T) {
	l := Default()
	if l.Count("time") < 100 {
		t.Errorf("Count(time) = %d, want a frequent word", l.Count("time"))
	}
	if l.Count("beholder") != 0 {
		t.Errorf("Count(beholder) = %d, want 0", l.Count("beholder"))
	}
	if !l.Has("dragon", Noun) || l.Has("dragon", Verb) {
		t.Error("Has(dragon) wrong")
	}
}

func BenchmarkLemma(b *testing.B) {
	l := Default()
	words := []string{"spells", "dwarves", "casting", "fire", "creatures", "hoped", "unknownish"}
	for i := 0; b.Loop(); i++ {
		l.Lemma(words[i%len(words)], Noun)
	}
}

// TestGenerateReproducible regenerates the data file from the installed
// WordNet and compares it with the committed one.
func TestGenerateReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run ./gen")
	}
	if _, err := os.Stat("/usr/share/wordnet/index.noun"); err != nil {
		t.Skip("WordNet not installed in /usr/share/wordnet (Debian package wordnet-base)")
	}
	out := filepath.Join(t.TempDir(), "wordnet.dat.gz")
	cmd := exec.Command("go", "run", "./gen", "-wordnet", "/usr/share/wordnet", "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Error("wordnet.dat.gz differs from a fresh `go generate`; regenerate and commit it")
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(bytes.NewReader([]byte("not gzip"))); err == nil {
		t.Error("Load accepted garbage")
	}
}

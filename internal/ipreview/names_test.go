package ipreview

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestDefaultBlocklistIsGenerated: default_blocklist.json is what the name
// lists compile to (go generate ./internal/ipreview rewrites it), and every
// list says where its names come from.
func TestDefaultBlocklistIsGenerated(t *testing.T) {
	lists, err := ReadNameLists(os.DirFS("."), NamesDir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := CompileNameLists(lists)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, defaultJSON) {
		t.Error("default_blocklist.json is not what names/ compiles to: run go generate ./internal/ipreview")
	}
	total := 0
	for _, l := range lists {
		if len(l.Source) < 40 {
			t.Errorf("%s: source %q does not say where the names come from", l.File, l.Source)
		}
		shared := 0
		for _, e := range l.Entries {
			if e.Owner == "" || e.Kind == "" {
				t.Errorf("%s: %q has no owner or kind", l.File, e.Term)
			}
			if e.Kind == Shared {
				shared++
			}
		}
		total += len(l.Entries)
		t.Logf("%-36s %4d names (%3d shared words)  %s", l.File, len(l.Entries), shared, l.Franchise)
	}
	t.Logf("%d names in %d lists", total, len(lists))
}

// TestMajorSettingsAreLarge: the settings designers borrow from most have
// hundreds of names each.
func TestMajorSettingsAreLarge(t *testing.T) {
	min := map[string]int{
		"Pathfinder (Paizo)":                        400,
		"Forgotten Realms (Wizards of the Coast)":   350,
		"Dungeons & Dragons (Wizards of the Coast)": 200,
		"Eberron (Wizards of the Coast)":            180,
		"Greyhawk (Wizards of the Coast)":           150,
		"Dragonlance (Wizards of the Coast)":        130,
		"Middle-earth (Tolkien Estate)":             380,
		"Warhammer (Games Workshop)":                500,
		"Star Wars (Lucasfilm)":                     250,
		"Warcraft, Diablo and StarCraft (Blizzard)": 300,
		"The Elder Scrolls (Bethesda)":              250,
		"Midgard (Kobold Press)":                    80,
	}
	b := Default()
	for f, n := range min {
		if got := len(b.franchises[f]); got < n {
			t.Errorf("%s: %d names, want at least %d", f, got, n)
		}
	}
}

func TestParseNameList(t *testing.T) {
	head := "# franchise: Mine\n# owner: Me\n# source: names I made up for my own setting, every one of them\n# context: Zorg, Zorgland\n"
	l, err := ParseNameList("mine.txt", []byte(head+"Zorblax\nWarp | shared | whole | needs context | context: Chaos\nShai'tan | shared | literal | open: jinn\nBaobhan | shared | except: baobhan sith\nBig's Hand | alt: Arcane Hand | note: the SRD's name\n"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Franchise != "Mine" || l.Owner != "Me" || len(l.Entries) != 5 {
		t.Fatalf("%+v", l)
	}
	e := l.Entries
	if e[0].Kind != Coined || e[0].Owner != "Me" || len(e[0].Context) != 0 {
		t.Errorf("coined: %+v", e[0])
	}
	if e[1].Kind != Shared || !e[1].WholeName || !e[1].NeedsContext || strings.Join(e[1].Context, ",") != "Chaos,Zorg,Zorgland" {
		t.Errorf("shared with context: %+v", e[1])
	}
	if !e[2].Literal || e[2].OpenContext[0] != "jinn" || e[3].Except[0] != "baobhan sith" || e[4].Alternative != "Arcane Hand" || e[4].Note != "the SRD's name" {
		t.Errorf("options: %+v", e[2:])
	}
	for name, bad := range map[string]string{
		"no source":      "# franchise: Mine\n# owner: Me\nZorblax\n",
		"no owner":       "# franchise: Mine\n# source: somewhere long enough to say so\nZorblax\n",
		"no franchise":   "# owner: Me\n# source: somewhere\nZorblax\n",
		"unknown option": head + "Zorblax | sharred\n",
		"bad entry":      head + "!!!\n",
		"context needed": "# franchise: Mine\n# owner: Me\n# source: x\nWarp | needs context\n",
	} {
		if _, err := ParseNameList("bad.txt", []byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

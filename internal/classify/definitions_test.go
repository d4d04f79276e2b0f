package classify

import (
	"strings"
	"testing"
)

// TestCategoryDefinitions checks the shared definitions cover every
// category in order and reach the prompt whole.
func TestCategoryDefinitions(t *testing.T) {
	if len(CategoryDefinitions) != len(Categories) {
		t.Fatalf("%d definitions for %d categories", len(CategoryDefinitions), len(Categories))
	}
	p := SystemPrompt()
	if strings.Contains(p, "{{categories}}") {
		t.Fatal("the prompt still holds the placeholder")
	}
	for i, d := range CategoryDefinitions {
		if d.Category != Categories[i] {
			t.Errorf("definition %d is %s, want %s", i, d.Category, Categories[i])
		}
		if !strings.Contains(p, "  "+string(d.Category)+" ("+d.Definition) {
			t.Errorf("%s: definition not in the prompt", d.Category)
		}
		for _, ex := range d.Examples {
			if !strings.Contains(p, `"`+ex+`"`) {
				t.Errorf("%s: example %q not in the prompt", d.Category, ex)
			}
		}
	}
	// The exact definitions of issue 13: a role is a creature, a character
	// is one named individual.
	if !strings.Contains(CategoryDefinitions[1].Definition, "generic person") || !strings.Contains(CategoryDefinitions[4].Definition, "one named individual") {
		t.Error("creature and character definitions lost their exact wording")
	}
}

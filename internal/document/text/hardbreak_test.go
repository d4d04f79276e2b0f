package text

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
)

// wrap wraps s greedily at width, as fmt and editors do.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		if n > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		}
		if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

func TestPlainLineBreaks(t *testing.T) {
	prose := "The red dragon Ashardalon sleeps beneath the Smoking Mountain, and the villagers of Thornwick leave offerings of gold and sheep at the cave mouth each spring, hoping that the beast will not wake before the harvest is in."
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"wrapped at 72 is one paragraph", wrap(prose, 72), []string{prose}},
		{"wrapped at 40 is one paragraph", wrap(prose, 40), []string{prose}},
		{"wrapped with indent", "  " + strings.ReplaceAll(wrap(prose, 60), "\n", "\n  "), []string{prose}},
		{"a sentence a line",
			"Great job!\nThe broker called back shortly after I spoke to you to let me know that the building had been sold.\nTake care",
			[]string{"Great job!", "The broker called back shortly after I spoke to you to let me know that the building had been sold.", "Take care"}},
		{"a word list", "Fireball\nMagic Missile\nCone of Cold\nWish",
			[]string{"Fireball", "Magic Missile", "Cone of Cold", "Wish"}},
		{"a hyphen at the line end is a wrap", "The sword that the smith forged is a mag-\nical weapon of great age and greater renown.", []string{"The sword that the smith forged is a magical weapon of great age and greater renown."}},
		{"hand-wrapped prose continuing in lower case stays one paragraph",
			"The red dragon sleeps beneath the mountain,\nand the villagers of Thornwick leave offerings of gold and sheep\nat the cave mouth each spring.",
			[]string{"The red dragon sleeps beneath the mountain, and the villagers of Thornwick leave offerings of gold and sheep at the cave mouth each spring."}},
		{"two wrapped paragraphs without a blank line between them keep the break a short last line makes",
			wrap(prose, 50) + "\n" + wrap(prose, 50),
			[]string{prose, prose}},
		{"one line", "A lone line.", []string{"A lone line."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Plain{}.Parse(context.Background(), document.Input{Name: "x.txt", Data: []byte(tt.text)}, document.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range out.Content {
				if b.Type != document.Paragraph {
					t.Errorf("block %q is %v, want a paragraph", b.Text, b.Type)
				}
				got = append(got, b.Text)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("paragraphs:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

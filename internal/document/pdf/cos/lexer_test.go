package cos

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestNumbers(t *testing.T) {
	tests := []struct {
		in    string
		num   float64
		isInt bool
	}{
		{"0", 0, true},
		{"123", 123, true},
		{"+17", 17, true},
		{"-98", -98, true},
		{"34.5", 34.5, false},
		{"-3.62", -3.62, false},
		{"+123.6", 123.6, false},
		{"4.", 4, false},
		{"5.", 5, false},
		{".5", 0.5, false},
		{"-.002", -0.002, false},
		{"-.2", -0.2, false},
		{"0.0", 0, false},
		{"--5", -5, true},
		{"-", 0, true},
		{"+", 0, true},
		{"5.3.2", 5.3, false},
		{"99999999999999999999", 99999999999999999999, false},
	}
	for _, tt := range tests {
		lx := NewLexer([]byte(tt.in), 0)
		tok := lx.Next()
		if tok.Kind != TokNumber {
			t.Errorf("%q: kind %v", tt.in, tok.Kind)
			continue
		}
		if d := tok.Num - tt.num; d > 1e-9*max(1, tt.num) || d < -1e-9*max(1, -tt.num, tt.num) || tok.Int != tt.isInt {
			t.Errorf("%q = %v (int %v), want %v (int %v)", tt.in, tok.Num, tok.Int, tt.num, tt.isInt)
		}
		if lx.Next().Kind != TokEOF {
			t.Errorf("%q: more than one token", tt.in)
		}
	}
	// Words that start like numbers but are not.
	for _, in := range []string{"12abc", "1e5", "-x"} {
		lx := NewLexer([]byte(in), 0)
		if tok := lx.Next(); tok.Kind != TokKeyword || string(tok.Bytes) != in {
			t.Errorf("%q = %v %q, want a keyword", in, tok.Kind, tok.Bytes)
		}
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ in, want string }{
		{"(hello)", "hello"},
		{"()", ""},
		{"(a (nested (deep)) string)", "a (nested (deep)) string"},
		{`(esc \n\r\t\b\f \( \) \\ end)`, "esc \n\r\t\b\f ( ) \\ end"},
		{`(\101\102C)`, "ABC"},
		{`(\0053)`, "\x053"},
		{`(\7)`, "\x07"},
		{`(\777)`, "\xff"},
		{`(\q unknown)`, "q unknown"},
		{"(line \\\ncontinued)", "line continued"},
		{"(line \\\r\ncontinued)", "line continued"},
		{"(cr\rlf\r\nend)", "cr\nlf\nend"},
		{"(unterminated", "unterminated"},
		{"<48656C6C6F>", "Hello"},
		{"<48 65 6c\n6c 6f>", "Hello"},
		{"<414>", "A@"},
		{"<>", ""},
		{"<4x1>", "A"},
	}
	for _, tt := range tests {
		lx := NewLexer([]byte(tt.in), 0)
		tok := lx.Next()
		if tok.Kind != TokString || string(tok.Bytes) != tt.want {
			t.Errorf("%q = %v %q, want %q", tt.in, tok.Kind, tok.Bytes, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/Name1", "Name1"},
		{"/A;Name_With-Various***Characters?", "A;Name_With-Various***Characters?"},
		{"/1.2", "1.2"},
		{"/$$", "$$"},
		{"/@pattern", "@pattern"},
		{"/.notdef", ".notdef"},
		{"/Lime#20Green", "Lime Green"},
		{"/paired#28#29parentheses", "paired()parentheses"},
		{"/The_Key_of_F#23_Minor", "The_Key_of_F#_Minor"},
		{"/A#42", "AB"},
		{"/bad#zz", "bad#zz"},
		{"/end#4", "end#4"},
		{"/", ""},
	}
	for _, tt := range tests {
		lx := NewLexer([]byte(tt.in), 0)
		tok := lx.Next()
		if tok.Kind != TokName || string(tok.Bytes) != tt.want {
			t.Errorf("%q = %v %q, want %q", tt.in, tok.Kind, tok.Bytes, tt.want)
		}
	}
}

func TestTokens(t *testing.T) {
	in := "[1 2.5/N(s)<41>]<</K true>>% comment\n{ } word ) >"
	want := []TokenKind{TokArrayStart, TokNumber, TokNumber, TokName, TokString, TokString, TokArrayEnd,
		TokDictStart, TokName, TokKeyword, TokDictEnd, TokArrayStart, TokArrayEnd, TokKeyword, TokError, TokError, TokEOF}
	lx := NewLexer([]byte(in), 0)
	for i, k := range want {
		if tok := lx.Next(); tok.Kind != k {
			t.Fatalf("token %d: %v, want %v", i, tok.Kind, k)
		}
	}
}

func TestObjects(t *testing.T) {
	tests := []struct {
		in   string
		refs bool
		want Object
	}{
		{"true", false, true},
		{"false", false, false},
		{"null", false, nil},
		{"42", false, int64(42)},
		{"-1.5", false, -1.5},
		{"/N", false, Name("N")},
		{"(s)", false, String("s")},
		{"Tj", false, Keyword("Tj")},
		{"[1 [2 [3]] /N (s)]", false, Array{int64(1), Array{int64(2), Array{int64(3)}}, Name("N"), String("s")}},
		{"[]", false, Array(nil)},
		{"<</A 1 /B [true null] /C <</D /E>>>>", false,
			Dict{"A": int64(1), "B": Array{true, nil}, "C": Dict{"D": Name("E")}}},
		{"<</A null /B 2>>", false, Dict{"B": int64(2)}},
		{"<</A>>", false, Dict{"A": nil}},
		{"<</A 1 0 R /B [1 0 R 2 0 R 3]>>", true,
			Dict{"A": Ref{1, 0}, "B": Array{Ref{1, 0}, Ref{2, 0}, int64(3)}}},
		{"<</A 1 0 R>>", false, Dict{"A": int64(1)}}, // without Refs "0 R" is junk
		{"[1 0 R]", false, Array{int64(1), int64(0), Keyword("R")}},
		{"[1 2 3]", true, Array{int64(1), int64(2), int64(3)}},
		{"[1 -2 R]", true, Array{int64(1), int64(-2), Keyword("R")}},
		{"<</A 1 2>>", true, Dict{"A": int64(1)}}, // a value without a key is skipped
		{"[1 ) 2 >> 3]", false, Array{int64(1), int64(2), int64(3)}},
		{"<</K 1 /L (x)>>", true, Dict{"K": int64(1), "L": String("x")}},
	}
	for _, tt := range tests {
		lx := NewLexer([]byte(tt.in), 0)
		lx.Refs = tt.refs
		o, err := lx.Object()
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(o, tt.want) {
			t.Errorf("%q = %#v, want %#v", tt.in, o, tt.want)
		}
	}
}

func TestObjectErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"[1 2",
		"<</A 1",
		"<</A [1 2 endobj",
		"[1 2 stream",
		strings.Repeat("[", 100) + strings.Repeat("]", 100),
		strings.Repeat("<</A ", 100),
		strings.Repeat("[", 1_000_000),
	} {
		lx := NewLexer([]byte(in), 0)
		if _, err := lx.Object(); err == nil {
			t.Errorf("%.40q: no error", in)
		}
	}
	// Nesting up to the limit is fine.
	in := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	if _, err := NewLexer([]byte(in), 0).Object(); err != nil {
		t.Errorf("%d levels: %v", maxDepth, err)
	}
}

func TestObjectSequence(t *testing.T) {
	// A stream dictionary followed by its keyword, and Pos after each object.
	in := "<</Length 5 0 R>>stream\r\nabc"
	lx := NewLexer([]byte(in), 0)
	lx.Refs = true
	o, err := lx.Object()
	if err != nil || !reflect.DeepEqual(o, Dict{"Length": Ref{5, 0}}) {
		t.Fatalf("%v %v", o, err)
	}
	if tok := lx.Next(); tok.Kind != TokKeyword || string(tok.Bytes) != "stream" {
		t.Fatalf("%v %q", tok.Kind, tok.Bytes)
	}
	if lx.Pos() != len("<</Length 5 0 R>>stream") {
		t.Errorf("Pos %d", lx.Pos())
	}
	// Two numbers not followed by R stay numbers, and Pos is right.
	lx = NewLexer([]byte("1 2 (x)"), 0)
	lx.Refs = true
	if o, _ := lx.Object(); o != int64(1) {
		t.Errorf("%v", o)
	}
	if lx.Pos() != 1 {
		t.Errorf("Pos after a peek: %d", lx.Pos())
	}
	if o, _ := lx.Object(); o != int64(2) {
		t.Errorf("%v", o)
	}
	if o, _ := lx.Object(); !reflect.DeepEqual(o, String("x")) {
		t.Errorf("%v", o)
	}
	if _, err := lx.Object(); !IsEOD(err) {
		t.Errorf("end: %v", err)
	}
}

func FuzzLexer(f *testing.F) {
	for _, s := range []string{
		"<</A 1 0 R /B [1 2.5 (s\\051) <41>] /C <</D /E#20F>>>>",
		"(nested (paren) \\\n string)",
		"[1 0 R 2 0 R] -.5 --3 {1 2} %comment\n/N",
		"BT /F1 12 Tf 72 712 Td (Hello) Tj ET",
		strings.Repeat("[", 70),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, refs := range []bool{false, true} {
			lx := NewLexer(data, 0)
			lx.Refs = refs
			for i := 0; i <= len(data); i++ {
				before := lx.Pos()
				_, err := lx.Object()
				if err != nil && IsEOD(err) {
					break
				}
				if lx.Pos() < before {
					t.Fatalf("Pos went back from %d to %d", before, lx.Pos())
				}
				if lx.Pos() > len(data) {
					t.Fatalf("Pos %d beyond %d", lx.Pos(), len(data))
				}
			}
			lx.Seek(0)
			for i := 0; i <= len(data)+1; i++ {
				if lx.Next().Kind == TokEOF {
					break
				}
			}
		}
	})
}

func BenchmarkLexContent(b *testing.B) {
	var sb strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&sb, "BT /F1 9.96 Tf 1 0 0 1 %d.25 %d Tm [(Fire)-250(ball)12.5(s)] TJ (x\\(y\\)) Tj <48656c6c6f> Tj ET\n", 72+i%400, 700-i%600)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		lx := NewLexer(data, 0)
		for lx.Next().Kind != TokEOF {
		}
	}
}

func BenchmarkObject(b *testing.B) {
	data := []byte("<</Type /Page /Parent 2 0 R /Resources <</Font <</F1 5 0 R /F2 6 0 R>> /ProcSet [/PDF /Text]>> /MediaBox [0 0 612 792] /Contents 7 0 R /Annots [8 0 R 9 0 R]>>")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		lx := NewLexer(data, 0)
		lx.Refs = true
		if _, err := lx.Object(); err != nil {
			b.Fatal(err)
		}
	}
}

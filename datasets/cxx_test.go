package datasets

import "testing"

func TestBlankCode(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"line comment", "a; // {x}\nb;", "a;       \nb;"},
		{"block comment keeps newlines", "a /* {\n} */ b", "a     \n     b"},
		{"string with escaped quote", `f("{\"}"); g;`, `f("    "); g;`},
		{"char literal", `c = '{';`, `c = ' ';`},
		{"raw string", `s = R"x(a "{" b)x";`, `s = R"           ";`},
		{"digit separator is not a quote", "n = 1'000'000; {", "n = 1'000'000; {"},
		{"directive with continuation", "#define F(x) \\\n  {x}\nint y;", "              \n     \nint y;"},
		{"hash inside a line is code", "a # b", "a # b"},
	}
	for _, tt := range tests {
		got := BlankCode(tt.in)
		if got != tt.want {
			t.Errorf("%s: BlankCode(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
		if len(got) != len(tt.in) {
			t.Errorf("%s: length %d, want %d (offsets must match)", tt.name, len(got), len(tt.in))
		}
	}
}

func TestMatchingBracket(t *testing.T) {
	code := "f(a[(1)], {b; /* ) */ }) + x[2]"
	bl := BlankCode(code)
	for _, tt := range []struct{ open, want int }{{1, 23}, {3, 7}, {10, 22}, {28, 30}} {
		if got := MatchingBracket(bl, tt.open); got != tt.want {
			t.Errorf("MatchingBracket(%q, %d) = %d, want %d", code, tt.open, got, tt.want)
		}
	}
	if got := MatchingBracket("f((x)", 1); got != -1 {
		t.Errorf("unclosed bracket gave %d, want -1", got)
	}
}

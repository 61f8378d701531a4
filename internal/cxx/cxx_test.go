package cxx

import (
	"strings"
	"testing"
)

func TestBlank(t *testing.T) {
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
		got := Blank(tt.in)
		if got != tt.want {
			t.Errorf("%s: Blank(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
		if len(got) != len(tt.in) {
			t.Errorf("%s: length %d, want %d (offsets must match)", tt.name, len(got), len(tt.in))
		}
	}
}

func TestMatchingBracket(t *testing.T) {
	code := "f(a[(1)], {b; /* ) */ }) + x[2]"
	bl := Blank(code)
	for _, tt := range []struct{ open, want int }{{1, 23}, {3, 7}, {10, 22}, {28, 30}} {
		if got := MatchingBracket(bl, tt.open); got != tt.want {
			t.Errorf("MatchingBracket(%q, %d) = %d, want %d", code, tt.open, got, tt.want)
		}
	}
	if got := MatchingBracket("f((x)", 1); got != -1 {
		t.Errorf("unclosed bracket gave %d, want -1", got)
	}
}

func TestSignatureAndTypes(t *testing.T) {
	code := `#pragma once
#include <vector>

struct Point {
    double x, y; // a { in a comment
};

/* f(int) is mentioned here { */
static double helper(Point const& p) { return p.x; }

double NO_INLINE
closest(std::vector<Point> const& points,
        size_t n) {
    const char* s = "closest(";
    return helper(points[0]) + n;
}
`
	cases := []struct{ fn, want string }{
		{"closest", "double closest(std::vector<Point> const& points, size_t n);"},
		{"helper", "static double helper(Point const& p);"},
	}
	for _, c := range cases {
		got, err := Signature(code, c.fn)
		if err != nil || got != c.want {
			t.Errorf("Signature(%s) = %q, %v; want %q", c.fn, got, err, c.want)
		}
	}
	if _, err := Signature(code, "missing"); err == nil {
		t.Error("Signature found a function that is not there")
	}
	types := Types(code)
	if len(types) != 1 || types[0].Name != "Point" || !strings.HasSuffix(types[0].Definition, "};") {
		t.Errorf("Types = %+v", types)
	}
	if s, e := TypeSpan(code, "Point"); s < 0 || code[s:e] != types[0].Definition {
		t.Errorf("TypeSpan = %d, %d", s, e)
	}
	if Defines(code, "Context") {
		t.Error("Defines: Context is not defined")
	}
}

package llm

import "testing"

func TestExtractCode(t *testing.T) {
	const def = "void f(int* a) {\n  a[0] = 1;\n}\n"
	cases := []struct {
		name  string
		reply string
		fn    string
		want  string
		ok    bool
	}{
		{"cpp", "Here:\n```cpp\n" + def + "```\nDone.", "f", def, true},
		{"c++ tag", "```c++\n" + def + "```", "f", def, true},
		{"cc tag", "```cc\n" + def + "```", "f", def, true},
		{"c tag", "```c\n" + def + "```", "f", def, true},
		{"cxx tag, upper case", "```CXX\n" + def + "```", "f", def, true},
		{"no tag", "```\n" + def + "```", "f", def, true},
		{"tag with attributes", "```cpp title=\"x.cpp\"\n" + def + "```", "f", def, true},
		{"longer fence and indentation", "  ````cpp\n" + def + "  ````\n", "f", def, true},
		{"CRLF", "```cpp\r\nvoid f(int* a) {\r\n  a[0] = 1;\r\n}\r\n```\r\n", "f", "void f(int* a) {\r\n  a[0] = 1;\r\n}\n", true},
		{"python only", "```python\nprint(1)\n```", "f", "", false},
		{"prose only", "You could use std::sort; void f(int* a) { } is what I would write.", "f", "", false},
		{"empty block", "```cpp\n```", "f", "", false},
		{"unterminated fence", "Sure:\n```cpp\n" + def, "f", def, true},
		{"unterminated after a closed one", "```cpp\nint helper();\n```\nthen\n```cpp\n" + def + "// cut off", "f", def + "// cut off\n", true},
		{
			"the block that defines the function wins over a longer one",
			"Original:\n```cpp\n// a long comment about the original code that is not a definition\nint g(int x) { return f(x) + f(x + 1) + f(x + 2); }\n```\nNew:\n```cpp\n" + def + "```",
			"f", def, true,
		},
		{
			"a declaration is not a definition",
			"```cpp\nvoid f(int* a);\nint main() { int a[1]; f(a); return a[0]; }\n```\n```cpp\n" + def + "```",
			"f", def, true,
		},
		{
			"several definitions: the longest",
			"```cpp\nvoid f(int* a) { }\n```\n```cpp\n#include <cstring>\n" + def + "```",
			"f", "#include <cstring>\n" + def, true,
		},
		{
			"no block defines it: the longest",
			"```cpp\nint x;\n```\n```cpp\nint y = 2 * 3;\n```",
			"f", "int y = 2 * 3;\n", true,
		},
		{"python block skipped for the cpp one", "```python\nx = 1\n```\n```cpp\n" + def + "```", "f", def, true},
		{"inline triple backticks are not a fence", "Use ```std::sort``` here.", "f", "", false},
		{"name as a prefix of another function", "```cpp\nvoid ff(int* a) { }\n```\n```cpp\nvoid f(int* a)\n{\n}\n```", "f", "void f(int* a)\n{\n}\n", true},
		{"const and noexcept qualifiers", "```cpp\nint S::f(int x) const noexcept { return x; }\n```\n```cpp\nint longer_unrelated_block = 1234567;\n```", "f", "int S::f(int x) const noexcept { return x; }\n", true},
		{"trailing return type", "```cpp\nauto f(int x) -> int { return x; }\n```\n```cpp\nint longer_unrelated_block = 1234567;\n```", "f", "auto f(int x) -> int { return x; }\n", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := ExtractCode(c.reply, c.fn)
			if got != c.want || ok != c.ok {
				t.Errorf("ExtractCode = %q, %v; want %q, %v", got, ok, c.want, c.ok)
			}
		})
	}
}

func TestDefines(t *testing.T) {
	cases := []struct {
		code string
		want bool
	}{
		{"void sort_ints(std::vector<int>& a) {\n}", true},
		{"void sort_ints(std::vector<int>& a);", false},
		{"int main() { sort_ints(v); }", false},
		{"void sort_ints(int (*cmp)(int, int)) { }", true},
		{"void sort_ints2(int a) { }", false},
		{"if (sort_ints(x)) { }", false},
	}
	for _, c := range cases {
		if got := Defines(c.code, "sort_ints"); got != c.want {
			t.Errorf("Defines(%q) = %v, want %v", c.code, got, c.want)
		}
	}
}

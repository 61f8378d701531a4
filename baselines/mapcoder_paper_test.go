package baselines

import "testing"

// TestParseKnowledgePaper: the authors' parse asks again unless the reply
// holds at least two complete problems, takes every one of them, keeps
// their white space, and reads replies with or without <root>, fenced,
// with echoed template lines, and with code that is not XML.
func TestParseKnowledgePaper(t *testing.T) {
	two := "<problem><description> Sum. </description><code>a < b && c</code><planning>Unroll.</planning></problem>\n" +
		"<problem><description>Max.</description><code>x</code><planning>Vectorize.</planning></problem>\n" +
		"<algorithm>Loops.</algorithm>"
	tests := []struct {
		name, reply string
		ok          bool
		n           int
		first, alg  string
	}{
		{"bare", two, true, 2, " Sum. ", "Loops."},
		{"root", "<root>\n" + two + "\n</root>", true, 2, " Sum. ", "Loops."},
		{"fenced", "```xml\n<root>" + two + "</root>\n```", true, 2, " Sum. ", "Loops."},
		{"echoed", "<root>\n# Planning to optimize this code: \n" + two + "</root>", true, 2, " Sum. ", "Loops."},
		{"three", "<root>" + two + "<problem><description>C</description><planning>P</planning></problem></root>", true, 3, " Sum. ", "Loops."},
		{"one problem", "<root><problem><description>A</description><planning>P</planning></problem></root>", false, 0, "", ""},
		{"no planning", "<root><problem><description>A</description></problem><problem><description>B</description><planning>P</planning></problem></root>", false, 0, "", ""},
		{"not xml", "Here are some problems: sum, max.", false, 0, "", ""},
	}
	for _, tt := range tests {
		k, ok := ParseKnowledgePaper(tt.reply)
		if ok != tt.ok || len(k.Exemplars) != tt.n {
			t.Errorf("%s: ok %v with %d problems, want %v and %d", tt.name, ok, len(k.Exemplars), tt.ok, tt.n)
			continue
		}
		if ok && (k.Exemplars[0].Description != tt.first || k.Algorithm != tt.alg) {
			t.Errorf("%s: first description %q, algorithm %q; want %q, %q", tt.name, k.Exemplars[0].Description, k.Algorithm, tt.first, tt.alg)
		}
	}
}

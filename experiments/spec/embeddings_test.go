package spec

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/llm/sim"
)

// TestSpecEmbeddings: relevance: embeddings needs an embeddings endpoint,
// and a bad endpoint is one error naming its line and field.
func TestSpecEmbeddings(t *testing.T) {
	const params = "params: {rounds: 2, k: 4}"
	withRel := strings.Replace(goodSpec, params, "params: {rounds: 2, k: 4, relevance: embeddings}", 1)
	cases := []struct {
		name   string
		text   string
		at     string // the text of the line the error names; "" for no error
		expect []string
	}{
		{"no endpoint", withRel, "relevance: embeddings", []string{"strategies[0].params.relevance", "needs an embeddings endpoint", "embeddings: {provider: openai"}},
		{"no endpoint, matrix", strings.Replace(goodSpec, "    selection: [paper, none]", "    selection: [paper, none]\n    relevance: [tfidf, embeddings]", 1),
			"relevance: [tfidf, embeddings]", []string{"matrix.ll.relevance", "needs an embeddings endpoint"}},
		{"sim endpoint", withRel + "embeddings: {provider: sim}\n", "", nil},
		{"openai endpoint", withRel + "embeddings: {provider: openai, base_url: \"http://127.0.0.1:8080/v1\", model: neulab/codebert-cpp, api_key_env: TEST_KEY}\n", "", nil},
		{"tfidf needs none", goodSpec, "", nil},
		{"no provider", withRel + "embeddings: {model: x}\n", "embeddings:", []string{"embeddings.provider", "missing"}},
		{"unknown provider", withRel + "embeddings: {provider: bert}\n", "embeddings:", []string{"embeddings.provider", `"bert"`}},
		{"openai without model", withRel + "embeddings: {provider: openai, base_url: \"http://x/v1\"}\n", "embeddings:", []string{"embeddings.model", "missing"}},
		{"openai without url", withRel + "embeddings: {provider: openai, model: m}\n", "embeddings:", []string{"embeddings.base_url", "missing"}},
		{"not a URL", withRel + "embeddings: {provider: openai, base_url: x, model: m}\n", "embeddings:", []string{"embeddings.base_url", "http://"}},
		{"unset key", withRel + "embeddings: {provider: openai, base_url: \"http://x/v1\", model: m, api_key_env: NOPE}\n", "embeddings:", []string{"embeddings.api_key_env", "NOPE"}},
		{"sim with another model", withRel + "embeddings: {provider: sim, model: bert}\n", "embeddings:", []string{"embeddings.model", sim.EmbedModel}},
		{"unknown field", withRel + "embeddings: {provider: sim, modle: x}\n", "embeddings:", []string{"modle"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(c.text), testEnv)
			if c.at == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			line := 1 + slices.IndexFunc(strings.Split(c.text, "\n"), func(l string) bool { return strings.Contains(l, c.at) })
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("t.yaml:%d:", line)) {
				t.Errorf("error %q does not name line %d", err, line)
			}
			for _, f := range c.expect {
				if !strings.Contains(err.Error(), f) {
					t.Errorf("error %q lacks %q", err, f)
				}
			}
		})
	}
}

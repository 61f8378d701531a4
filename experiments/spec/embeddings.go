package spec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// EmbeddingsSpec names the endpoint that embeds lessons and code for
// lessonl strategies with relevance: embeddings: an OpenAI-compatible
// /v1/embeddings (vLLM or text-embeddings-inference serving a
// CodeBERT-style model, as the paper uses neulab/codebert-cpp's [CLS]
// vector), or the sim's hashed bag of tokens for offline runs.
type EmbeddingsSpec struct {
	Provider       string   `yaml:"provider" json:"provider"` // openai | sim
	BaseURL        string   `yaml:"base_url" json:"base_url,omitempty"`
	Model          string   `yaml:"model" json:"model,omitempty"`
	APIKeyEnv      string   `yaml:"api_key_env" json:"api_key_env,omitempty"`
	MaxConcurrency int      `yaml:"max_concurrency" json:"max_concurrency,omitempty"`
	Timeout        Duration `yaml:"timeout" json:"timeout,omitempty"`
}

// validateEmbeddings checks the embeddings endpoint and that every
// strategy or matrix variant asking for relevance: embeddings has one.
func (s *Spec) validateEmbeddings(fail func(field, format string, args ...any), lookup func(string) (string, bool)) {
	if e := s.Embeddings; e != nil {
		switch e.Provider {
		case "openai":
			if e.BaseURL == "" {
				fail("embeddings.base_url", "missing: the API root of the embeddings server, e.g. http://127.0.0.1:8080/v1")
				return
			}
			if !strings.HasPrefix(e.BaseURL, "http://") && !strings.HasPrefix(e.BaseURL, "https://") {
				fail("embeddings.base_url", "want an http:// or https:// URL, got %q", e.BaseURL)
				return
			}
			if e.Model == "" {
				fail("embeddings.model", "missing: the embedding model the server serves, e.g. neulab/codebert-cpp")
				return
			}
		case "sim":
			if e.Model != "" && e.Model != sim.EmbedModel {
				fail("embeddings.model", "the sim's embedding model is %s, got %q", sim.EmbedModel, e.Model)
				return
			}
			if e.BaseURL != "" || e.APIKeyEnv != "" {
				fail("embeddings.provider", "the sim embeds in process: give no base_url or api_key_env")
				return
			}
		case "":
			fail("embeddings.provider", "missing (want openai or sim)")
			return
		default:
			fail("embeddings.provider", "unknown provider %q (want openai or sim)", e.Provider)
			return
		}
		if e.APIKeyEnv != "" {
			if _, ok := lookup(e.APIKeyEnv); !ok {
				fail("embeddings.api_key_env", "environment variable %s is not set", e.APIKeyEnv)
				return
			}
		}
		if e.MaxConcurrency < 0 || e.Timeout < 0 {
			fail("embeddings", "max_concurrency and timeout must not be negative")
			return
		}
		return
	}
	const need = "relevance embeddings needs an embeddings endpoint: add a top-level embeddings: {provider: openai, base_url: ..., model: ...} (or {provider: sim} offline)"
	for i, st := range s.Strategies {
		k, _ := strategy.LookupKind(st.Kind)
		if _, scores := k.Params["relevance"]; !scores {
			continue // only kinds that read a relevance scorer can ask for embeddings
		}
		if fmt.Sprint(st.Params["relevance"]) == "embeddings" {
			fail(fmt.Sprintf("strategies[%d].params.relevance", i), need)
			return
		}
		if slices.ContainsFunc(s.Matrix[st.Name]["relevance"], func(v any) bool { return fmt.Sprint(v) == "embeddings" }) {
			fail("matrix."+st.Name+".relevance", need)
			return
		}
	}
	return
}

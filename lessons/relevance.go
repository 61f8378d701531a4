package lessons

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// Relevance scores how relevant each lesson is to the original code, the
// second half of the paper's selection.
type Relevance interface {
	// Scores returns one score per lesson, higher meaning more relevant.
	Scores(ctx context.Context, code string, lessons []string) ([]float64, error)
}

// TFIDF is the built-in relevance scorer: cosine similarity of TF-IDF
// vectors over code-aware tokens (identifiers split at underscores and
// camelCase, lower-cased), with document frequencies taken over the code
// and the lessons being scored. It needs no model and no network; the
// paper's own choice, cosine of CodeBERT embeddings, is Embeddings.
type TFIDF struct{}

// Scores implements Relevance.
func (TFIDF) Scores(_ context.Context, code string, lessons []string) ([]float64, error) {
	docs := make([]map[string]float64, 0, len(lessons)+1)
	docs = append(docs, termCounts(code))
	for _, l := range lessons {
		docs = append(docs, termCounts(l))
	}
	df := map[string]float64{}
	for _, d := range docs {
		for t := range d {
			df[t]++
		}
	}
	n := float64(len(docs))
	vec := func(d map[string]float64) map[string]float64 {
		v := make(map[string]float64, len(d))
		for t, c := range d {
			// Smoothed IDF, as scikit-learn's default, so a term in every
			// document still counts a little.
			v[t] = (1 + math.Log(c)) * (math.Log((1+n)/(1+df[t])) + 1)
		}
		return v
	}
	q := vec(docs[0])
	out := make([]float64, len(lessons))
	for i := range lessons {
		out[i] = cosine(q, vec(docs[i+1]))
	}
	return out, nil
}

// Tokens splits text into code-aware lower-case tokens: identifiers are cut
// at underscores and lower-to-upper case changes, digits and one-letter
// tokens are dropped.
func Tokens(text string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 1 {
			out = append(out, strings.ToLower(string(cur)))
		}
		cur = cur[:0]
	}
	var prev rune
	for _, r := range text {
		switch {
		case unicode.IsLetter(r):
			if unicode.IsUpper(r) && unicode.IsLower(prev) {
				flush()
			}
			cur = append(cur, r)
		default:
			flush()
		}
		prev = r
	}
	flush()
	return out
}

func termCounts(text string) map[string]float64 {
	m := map[string]float64{}
	for _, t := range Tokens(text) {
		m[t]++
	}
	return m
}

// cosine is the cosine of two sparse vectors. It sums in the terms'
// sorted order: a map's order changes from run to run, and a sum in
// another order can differ in its last bit, enough to break a selection
// tie the other way in a rerun.
func cosine(a, b map[string]float64) float64 {
	var dot, na, nb float64
	for _, t := range slices.Sorted(maps.Keys(a)) {
		x := a[t]
		na += x * x
		dot += x * b[t]
	}
	for _, t := range slices.Sorted(maps.Keys(b)) {
		nb += b[t] * b[t]
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// EmbedFunc turns texts into vectors, e.g. an OpenAI-compatible
// /v1/embeddings endpoint.
type EmbedFunc func(ctx context.Context, texts []string) ([][]float64, error)

// Embeddings scores relevance as the cosine similarity of the embedding
// of a lesson and that of the original code, as the paper's authors do
// with the [CLS] embedding of neulab/codebert-cpp (serve it for example
// with text-embeddings-inference, --pooling cls, or vLLM's embedding
// task). It keeps every vector it has computed, so each text is embedded
// once: the code in the first selection, a lesson in the first selection
// after it is banked. The runner makes one per cell, so memory stays
// bounded by a cell's lessons. It is safe for concurrent use.
type Embeddings struct {
	Embed EmbedFunc

	mu    sync.Mutex
	cache map[string][]float64
}

// NewEmbeddings returns a scorer over embed with an empty cache.
func NewEmbeddings(embed EmbedFunc) *Embeddings { return &Embeddings{Embed: embed} }

// Scores implements Relevance: one Embed call for the texts it has not
// embedded yet (none when it has them all).
func (e *Embeddings) Scores(ctx context.Context, code string, lessons []string) ([]float64, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cache == nil {
		e.cache = map[string][]float64{}
	}
	var missing []string
	seen := map[string]bool{}
	for _, t := range append([]string{code}, lessons...) {
		if _, ok := e.cache[t]; !ok && !seen[t] {
			seen[t] = true
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		vecs, err := e.Embed(ctx, missing)
		if err != nil {
			return nil, fmt.Errorf("embed lessons: %w", err)
		}
		if len(vecs) != len(missing) {
			return nil, fmt.Errorf("embed lessons: got %d vectors for %d texts", len(vecs), len(missing))
		}
		for i, t := range missing {
			if len(vecs[i]) == 0 {
				return nil, fmt.Errorf("embed lessons: text %d has an empty vector", i+1)
			}
			e.cache[t] = vecs[i]
		}
	}
	out := make([]float64, len(lessons))
	for i, l := range lessons {
		out[i] = cosineDense(e.cache[code], e.cache[l])
	}
	return out, nil
}

func cosineDense(a, b []float64) float64 {
	var dot, na, nb float64
	for i := range a {
		if i >= len(b) {
			break
		}
		dot += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

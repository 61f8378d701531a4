package llm

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Middleware wraps a Provider with one concern (retries, a concurrency
// limit, a timeout, accounting).
type Middleware func(Provider) Provider

// Chain wraps p in mws; the first middleware is the outermost. The order
// the openai provider uses is WithUsage, WithRetry, WithLimit, WithTimeout:
// a request waits for a slot per attempt, holds no slot while it backs
// off, and its timeout does not count the wait for a slot.
func Chain(p Provider, mws ...Middleware) Provider {
	for i := len(mws) - 1; i >= 0; i-- {
		p = mws[i](p)
	}
	return p
}

// WithRetry retries failed calls that Retryable accepts, under policy.
// The Response's Attempts is the number of sends and its Latency the whole
// time spent, waits included. Retries are logged to log (nil: silent).
func WithRetry(policy RetryPolicy, log *slog.Logger) Middleware {
	return func(next Provider) Provider {
		return ProviderFunc(func(ctx context.Context, req Request) (Response, error) {
			start := time.Now()
			var resp Response
			n, err := retry(ctx, policy, log, "chat "+req.Model, func(ctx context.Context) error {
				var err error
				resp, err = next.Chat(ctx, req)
				return err
			})
			resp.Attempts = n
			resp.Latency = time.Since(start)
			return resp, err
		})
	}
}

// WithTimeout gives every call at most d; a call that runs out of time
// fails with ErrAttemptTimeout (which WithRetry retries). d ≤ 0 is no
// limit.
func WithTimeout(d time.Duration) Middleware {
	return func(next Provider) Provider {
		if d <= 0 {
			return next
		}
		return ProviderFunc(func(ctx context.Context, req Request) (Response, error) {
			actx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			resp, err := next.Chat(actx, req)
			return resp, attemptErr(ctx, actx, d, err)
		})
	}
}

// attemptErr marks err as an attempt timeout when the attempt's own
// deadline, not the caller's context, ended it.
func attemptErr(parent, attempt context.Context, d time.Duration, err error) error {
	if err != nil && parent.Err() == nil && errors.Is(attempt.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w after %s: %v", ErrAttemptTimeout, d, err)
	}
	return err
}

// WithLimit lets at most sem's limit of calls run at once; the others
// wait their turn (or until their context ends).
func WithLimit(sem *Semaphore) Middleware {
	return func(next Provider) Provider {
		if sem == nil {
			return next
		}
		return ProviderFunc(func(ctx context.Context, req Request) (Response, error) {
			if err := sem.Acquire(ctx); err != nil {
				return Response{}, fmt.Errorf("wait for a free slot on the endpoint: %w", err)
			}
			defer sem.Release()
			return next.Chat(ctx, req)
		})
	}
}

// WithUsage counts every call in m under provider and the model.
func WithUsage(m *Meter, provider string) Middleware {
	return func(next Provider) Provider {
		if m == nil {
			return next
		}
		return ProviderFunc(func(ctx context.Context, req Request) (Response, error) {
			resp, err := next.Chat(ctx, req)
			model := resp.Model
			if model == "" {
				model = req.Model
			}
			m.Add(provider, model, resp, err)
			return resp, err
		})
	}
}

// Semaphore bounds how many calls run at once. Waiters are served in
// arrival order. The limit can be lowered or raised while in use.
type Semaphore struct {
	mu      sync.Mutex
	limit   int
	used    int
	waiters []chan struct{}
}

// NewSemaphore returns a semaphore of limit slots (at least 1).
func NewSemaphore(limit int) *Semaphore {
	return &Semaphore{limit: max(limit, 1)}
}

// Limit is the number of slots.
func (s *Semaphore) Limit() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limit
}

// SetLimit changes the number of slots (at least 1); calls already
// running keep theirs.
func (s *Semaphore) SetLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = max(n, 1)
	s.grant()
}

// Acquire takes a slot, waiting until one is free or ctx ends.
func (s *Semaphore) Acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	if s.used < s.limit && len(s.waiters) == 0 {
		s.used++
		s.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	s.waiters = append(s.waiters, ch)
	s.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		defer s.mu.Unlock()
		if i := slices.Index(s.waiters, ch); i >= 0 {
			s.waiters = slices.Delete(s.waiters, i, i+1)
			return ctx.Err()
		}
		// Granted just as ctx ended: hand the slot on.
		s.used--
		s.grant()
		return ctx.Err()
	}
}

// Release returns a slot taken by Acquire.
func (s *Semaphore) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used <= 0 {
		panic("llm: Semaphore.Release without Acquire")
	}
	s.used--
	s.grant()
}

// grant wakes waiters while slots are free; s.mu is held.
func (s *Semaphore) grant() {
	for s.used < s.limit && len(s.waiters) > 0 {
		ch := s.waiters[0]
		s.waiters = s.waiters[1:]
		s.used++
		close(ch)
	}
}

var endpoints struct {
	mu sync.Mutex
	m  map[string]*Semaphore
}

// EndpointLimit returns the process-wide semaphore of an endpoint (a base
// URL), so that every agent served by one server shares one limit. When
// agents ask for different limits on the same endpoint the smallest holds.
func EndpointLimit(endpoint string, limit int) *Semaphore {
	endpoints.mu.Lock()
	defer endpoints.mu.Unlock()
	if endpoints.m == nil {
		endpoints.m = map[string]*Semaphore{}
	}
	s, ok := endpoints.m[endpoint]
	if !ok {
		s = NewSemaphore(limit)
		endpoints.m[endpoint] = s
		return s
	}
	if limit > 0 && limit < s.Limit() {
		s.SetLimit(limit)
	}
	return s
}

// Tally is the usage of one provider and model.
type Tally struct {
	Provider         string        `json:"provider"`
	Model            string        `json:"model"`
	Calls            int           `json:"calls"`
	Failures         int           `json:"failures"`
	Attempts         int           `json:"attempts"`
	PromptTokens     int           `json:"prompt_tokens"`
	CompletionTokens int           `json:"completion_tokens"`
	EstimatedCalls   int           `json:"estimated_calls"` // calls whose usage was estimated
	Latency          time.Duration `json:"latency"`         // summed over calls
}

// Meter counts calls and tokens by provider and model; it is safe for
// concurrent use. The zero value is ready.
type Meter struct {
	mu sync.Mutex
	m  map[[2]string]*Tally
}

// Add counts one call.
func (m *Meter) Add(provider, model string, resp Response, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[[2]string]*Tally{}
	}
	k := [2]string{provider, model}
	t := m.m[k]
	if t == nil {
		t = &Tally{Provider: provider, Model: model}
		m.m[k] = t
	}
	t.Calls++
	if err != nil {
		t.Failures++
	}
	t.Attempts += max(resp.Attempts, 1)
	t.PromptTokens += resp.PromptTokens
	t.CompletionTokens += resp.CompletionTokens
	if resp.UsageEstimated {
		t.EstimatedCalls++
	}
	t.Latency += resp.Latency
}

// Tallies returns the counts, sorted by provider and model.
func (m *Meter) Tallies() []Tally {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Tally, 0, len(m.m))
	for _, t := range m.m {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Tally) int {
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Model, b.Model))
	})
	return out
}

// Total sums all tallies.
func (m *Meter) Total() Tally {
	var s Tally
	for _, t := range m.Tallies() {
		s.Calls += t.Calls
		s.Failures += t.Failures
		s.Attempts += t.Attempts
		s.PromptTokens += t.PromptTokens
		s.CompletionTokens += t.CompletionTokens
		s.EstimatedCalls += t.EstimatedCalls
		s.Latency += t.Latency
	}
	return s
}

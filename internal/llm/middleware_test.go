package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestSemaphore(t *testing.T) {
	s := NewSemaphore(2)
	ctx := context.Background()
	if err := s.Acquire(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Acquire(ctx); err != nil {
		t.Fatal(err)
	}
	// A third waits, and gives up when its context ends.
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := s.Acquire(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("third acquire: %v", err)
	}
	got := make(chan struct{})
	go func() {
		if err := s.Acquire(ctx); err == nil {
			close(got)
		}
	}()
	select {
	case <-got:
		t.Fatal("acquired beyond the limit")
	case <-time.After(20 * time.Millisecond):
	}
	s.Release()
	select {
	case <-got:
	case <-time.After(time.Second):
		t.Fatal("a release did not wake the waiter")
	}
	// Raising the limit lets one more in at once.
	s.SetLimit(3)
	if err := s.Acquire(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Acquire(short); err == nil {
		t.Fatal("acquired with an ended context while full")
	}
	if s.Limit() != 3 {
		t.Errorf("limit %d", s.Limit())
	}
}

func TestEndpointLimitIsShared(t *testing.T) {
	a := EndpointLimit("http://endpoint-limit-test/v1", 8)
	b := EndpointLimit("http://endpoint-limit-test/v1", 3)
	if a != b || a.Limit() != 3 {
		t.Errorf("same endpoint: %p %p, limit %d; want one semaphore of 3", a, b, a.Limit())
	}
	if c := EndpointLimit("http://other-endpoint-limit-test/v1", 8); c == a {
		t.Error("two endpoints share a semaphore")
	}
}

func TestRetryMiddleware(t *testing.T) {
	cases := []struct {
		name     string
		errs     []error // what successive attempts return; nil = success
		attempts int
		ok       bool
	}{
		{"success", []error{nil}, 1, true},
		{"429 then success", []error{&StatusError{Code: 429}, nil}, 2, true},
		{"502, reset, then success", []error{&StatusError{Code: 502}, fmt.Errorf("read: %w", syscall.ECONNRESET), nil}, 3, true},
		{"attempt timeout then success", []error{fmt.Errorf("%w after 1s", ErrAttemptTimeout), nil}, 2, true},
		{"404 is final", []error{&StatusError{Code: 404}, nil}, 1, false},
		{"unknown error is final", []error{errors.New("boom"), nil}, 1, false},
		{"bounded", []error{&StatusError{Code: 500}, &StatusError{Code: 500}, &StatusError{Code: 500}, nil}, 3, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := 0
			p := Chain(ProviderFunc(func(ctx context.Context, req Request) (Response, error) {
				err := c.errs[n]
				n++
				return Response{Text: "hi"}, err
			}), WithRetry(fastRetry, nil))
			resp, err := p.Chat(context.Background(), Request{})
			if n != c.attempts || resp.Attempts != c.attempts || (err == nil) != c.ok {
				t.Errorf("attempts %d (response %d), err %v; want %d attempts, ok=%v", n, resp.Attempts, err, c.attempts, c.ok)
			}
		})
	}
	t.Run("cancelled while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		p := Chain(ProviderFunc(func(ctx context.Context, req Request) (Response, error) {
			cancel()
			return Response{}, &StatusError{Code: 503, RetryAfter: time.Hour}
		}), WithRetry(fastRetry, nil))
		start := time.Now()
		_, err := p.Chat(ctx, Request{})
		if !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
			t.Errorf("err %v after %v", err, time.Since(start))
		}
	})
}

func TestRetryDelay(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: 400 * time.Millisecond, MaxRetryAfter: 3 * time.Second}
	for n, step := range map[int]time.Duration{1: 100, 2: 200, 3: 400, 4: 400, 10: 400} {
		step *= time.Millisecond
		for i := 0; i < 50; i++ {
			if d := p.Delay(n, errors.New("x")); d < step/2 || d > step {
				t.Fatalf("delay after attempt %d: %v, want in [%v, %v]", n, d, step/2, step)
			}
		}
	}
	if d := p.Delay(1, &StatusError{Code: 429, RetryAfter: 2 * time.Second}); d != 2*time.Second {
		t.Errorf("Retry-After 2s: delay %v", d)
	}
	if d := p.Delay(1, &StatusError{Code: 429, RetryAfter: time.Hour}); d != 3*time.Second {
		t.Errorf("Retry-After 1h: delay %v, want the 3s cap", d)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		header map[string]string
		want   time.Duration
	}{
		{map[string]string{"Retry-After": "3"}, 3 * time.Second},
		{map[string]string{"Retry-After": "0.5"}, 500 * time.Millisecond},
		{map[string]string{"Retry-After-Ms": "250", "Retry-After": "9"}, 250 * time.Millisecond},
		{map[string]string{"Retry-After": now.Add(4 * time.Second).Format(http.TimeFormat)}, 4 * time.Second},
		{map[string]string{"Retry-After": "soon"}, 0},
		{map[string]string{"Retry-After": "-1"}, 0},
		{map[string]string{}, 0},
	}
	for _, c := range cases {
		h := http.Header{}
		for k, v := range c.header {
			h.Set(k, v)
		}
		if got := parseRetryAfter(h, now); got != c.want {
			t.Errorf("%v: %v, want %v", c.header, got, c.want)
		}
	}
}

func TestTimeoutMiddleware(t *testing.T) {
	slow := ProviderFunc(func(ctx context.Context, req Request) (Response, error) {
		<-ctx.Done()
		return Response{}, ctx.Err()
	})
	_, err := Chain(slow, WithTimeout(10*time.Millisecond)).Chat(context.Background(), Request{})
	if !errors.Is(err, ErrAttemptTimeout) || !Retryable(err) {
		t.Errorf("own timeout: %v", err)
	}
	// The caller's deadline is not the attempt's timeout, and is final.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = Chain(slow, WithTimeout(time.Hour)).Chat(ctx, Request{})
	if errors.Is(err, ErrAttemptTimeout) {
		t.Errorf("caller's deadline reported as an attempt timeout: %v", err)
	}
}

func TestMeter(t *testing.T) {
	m := &Meter{}
	p := Chain(ProviderFunc(func(ctx context.Context, req Request) (Response, error) {
		if req.Model == "bad" {
			return Response{Attempts: 3}, errors.New("down")
		}
		return Response{PromptTokens: 10, CompletionTokens: 5, UsageEstimated: req.Model == "est", Attempts: 1, Latency: time.Millisecond}, nil
	}), WithUsage(m, "openai"))
	var wg sync.WaitGroup
	var calls atomic.Int32
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			model := []string{"a", "b", "est", "bad"}[i%4]
			_, _ = p.Chat(context.Background(), Request{Model: model})
			calls.Add(1)
		}()
	}
	wg.Wait()
	ts := m.Tallies()
	if len(ts) != 4 || ts[0].Model != "a" || ts[3].Model != "est" {
		t.Fatalf("tallies %+v", ts)
	}
	tot := m.Total()
	if tot.Calls != 100 || tot.Failures != 25 || tot.PromptTokens != 750 || tot.CompletionTokens != 375 ||
		tot.EstimatedCalls != 25 || tot.Attempts != 150 || tot.Latency != 75*time.Millisecond {
		t.Errorf("total %+v", tot)
	}
}

func TestRequestKey(t *testing.T) {
	base := Request{Model: "m", Messages: []Message{{Role: "user", Content: "ab"}}, Temperature: 0.2, Seed: 1}
	same := base
	same.Model, same.Agent, same.Sample = "other", "someone", 4
	if RequestKey(base) != RequestKey(same) {
		t.Error("model, agent or sample changed the key")
	}
	// Message boundaries count: "a"+"b" is not "ab".
	split := base
	split.Messages = []Message{{Role: "user", Content: "a"}, {Role: "user", Content: "b"}}
	if RequestKey(base) == RequestKey(split) {
		t.Error("two messages hash like one")
	}
}

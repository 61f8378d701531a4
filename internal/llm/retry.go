package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// StatusError is a server's HTTP error answer.
type StatusError struct {
	Code int
	// Message is the server's own message (its error.message, or the start
	// of the body when that is not OpenAI-shaped).
	Message string
	// RetryAfter is how long the server asked us to wait (Retry-After or
	// retry-after-ms); 0 when it did not say.
	RetryAfter time.Duration
}

// Error names the status and quotes the server's message.
func (e *StatusError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "(no message)"
	}
	return fmt.Sprintf("server answered %d %s: %s", e.Code, http.StatusText(e.Code), msg)
}

// Temporary reports whether the status is worth retrying: 429 and 5xx.
func (e *StatusError) Temporary() bool {
	return e.Code == http.StatusTooManyRequests || e.Code >= 500
}

// ErrNoChoices is an answer with an empty choices list; like a 5xx, it is
// retried.
var ErrNoChoices = errors.New("the server answered with no choices")

// ErrNoContent is an answer whose choice holds no text; it is retried.
var ErrNoContent = errors.New("the server answered with no content")

// ErrAttemptTimeout marks an attempt that ran out of its own time (the
// provider's request timeout), as opposed to the caller's context ending.
var ErrAttemptTimeout = errors.New("request timed out")

// Retryable reports whether err is a failure worth another attempt: a 429
// or 5xx answer, an attempt timeout, or a connection error (refused, reset,
// closed early). Any other 4xx, a malformed answer or a cancelled context
// is final.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Temporary()
	}
	if errors.Is(err, ErrAttemptTimeout) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, ErrNoChoices) || errors.Is(err, ErrNoContent) || errors.Is(err, ErrStalled) {
		return true
	}
	for _, target := range []error{io.EOF, io.ErrUnexpectedEOF, syscall.ECONNRESET,
		syscall.ECONNREFUSED, syscall.ECONNABORTED, syscall.EPIPE, net.ErrClosed} {
		if errors.Is(err, target) {
			return true
		}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// Unreachable reports whether err says the server is not there or not
// ready (connection refused or reset, 502, 503, 504): what a restarting
// or still-loading server answers. Such errors are retried for
// RetryPolicy.MaxWait, however many attempts that takes.
func Unreachable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusBadGateway || se.Code == http.StatusServiceUnavailable || se.Code == http.StatusGatewayTimeout
	}
	for _, target := range []error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EHOSTUNREACH, syscall.ENETUNREACH} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// retryAfter is the wait a failed attempt asked for, 0 if none.
func retryAfter(err error) time.Duration {
	var se *StatusError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}

// parseRetryAfter reads retry-after-ms (OpenAI's) or Retry-After, in
// seconds (fractions allowed) or as an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// RetryPolicy bounds retries: at most MaxAttempts sends, waiting an
// exponentially growing, jittered delay between them (BaseDelay, 2×, 4×,
// ... capped at MaxDelay), or longer when the server asks with
// Retry-After (honoured up to MaxRetryAfter).
type RetryPolicy struct {
	MaxAttempts   int           // default 5; 1 disables retries
	BaseDelay     time.Duration // default 500ms
	MaxDelay      time.Duration // default 30s
	MaxRetryAfter time.Duration // default 2m
	// MaxWait, when set, keeps retrying errors that Unreachable accepts
	// past MaxAttempts until this long has passed since the first
	// attempt, so a server that restarts mid-run loses no call.
	MaxWait time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 5
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 2 * time.Minute
	}
	return p
}

// Delay is the wait before attempt n+1 after attempt n (n from 1) failed
// with err: half the exponential step plus a uniform random half
// ("equal jitter"), and never less than the server's Retry-After.
func (p RetryPolicy) Delay(n int, err error) time.Duration {
	p = p.withDefaults()
	step := p.BaseDelay
	for i := 1; i < n && step < p.MaxDelay; i++ {
		step *= 2
	}
	step = min(step, p.MaxDelay)
	d := step/2 + time.Duration(rand.Int64N(int64(step/2)+1))
	if ra := min(retryAfter(err), p.MaxRetryAfter); ra > d {
		d = ra
	}
	return d
}

// retry runs attempt until it succeeds, fails for good, runs out of
// attempts or ctx ends. It returns the number of attempts made; what names
// the call in logs.
func retry(ctx context.Context, p RetryPolicy, log *slog.Logger, what string, attempt func(context.Context) error) (int, error) {
	p = p.withDefaults()
	start := time.Now()
	for n := 1; ; n++ {
		err := attempt(ctx)
		if err == nil {
			return n, nil
		}
		if cerr := ctx.Err(); cerr != nil {
			if errors.Is(err, cerr) {
				return n, fmt.Errorf("attempt %d: %w", n, err)
			}
			return n, fmt.Errorf("attempt %d: %w (%w)", n, err, cerr)
		}
		if !Retryable(err) {
			return n, err
		}
		d := p.Delay(n, err)
		if n >= p.MaxAttempts {
			waited := time.Since(start)
			if !Unreachable(err) || waited >= p.MaxWait {
				return n, fmt.Errorf("giving up after %d attempts in %s: %w", n, waited.Round(time.Millisecond), err)
			}
			d = min(d, p.MaxWait-waited)
		}
		if log != nil {
			log.Warn("llm call failed; retrying", "call", what, "attempt", n, "wait", d, "err", err.Error())
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return n, fmt.Errorf("waiting to retry after attempt %d (%v): %w", n, err, ctx.Err())
		case <-t.C:
		}
	}
}

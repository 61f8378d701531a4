package experiments

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/record"
)

// env is a lookup over m, standing in for os.LookupEnv.
func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// closedURL is the URL of a loopback port nothing listens on.
func closedURL(t *testing.T) (string, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/v1", addr
}

// serveSimLater starts the sim team on addr after delay: until then the
// port refuses connections, as a server still starting does.
func serveSimLater(t *testing.T, addr string, delay time.Duration) {
	t.Helper()
	team := miniSim(t)
	srv := &http.Server{Handler: sim.Handler(team, nil)}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		time.Sleep(delay)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("listen %s after %s: %v", addr, delay, err)
			return
		}
		srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		wg.Wait()
	})
}

// endpointSpec writes a spec whose one agent reaches ${LESSONL_TEST_URL}
// with the given extra agent fields; the URL is in the environment, so
// the spec (and its hash) stay the same when the URL is fixed.
func endpointSpec(t *testing.T, model, agentExtra string) string {
	t.Helper()
	abs, _ := filepath.Abs("testdata/mini")
	text := fmt.Sprintf(`name: endpoint
dataset: {path: %s}
evaluation: {repetitions: 3, warmup: 1, timeout: 30s}
agents:
  - {name: coder, provider: openai, base_url: "${LESSONL_TEST_URL}", model: %s%s}
strategies:
  - {name: single, kind: single, agents: [coder]}
seeds: [1]
`, abs, model, agentExtra)
	path := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// lessonl runs the CLI with LESSONL_TEST_URL=url and returns its exit
// code and output.
func lessonl(t *testing.T, url string, args ...string) (int, string) {
	t.Helper()
	bin, err := buildLessonl()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "LESSONL_TEST_URL="+url)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String()
	}
	t.Fatalf("lessonl %v: %v", args, err)
	return 0, ""
}

// TestDeadEndpointFailsLoudly: a closed port and a model the server does
// not serve are caught by the preflight, naming agent and URL; without
// the preflight every cell is recorded failed and the run exits
// non-zero; once the URL is fixed, --resume runs exactly those cells.
func TestDeadEndpointFailsLoudly(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	dead, _ := closedURL(t)
	live := simURL(t)
	sp := endpointSpec(t, "sim/coder-a", ", retry_for: 1s")

	code, out := lessonl(t, dead, "spec", "validate", "--check", sp)
	if code == 0 || !strings.Contains(out, "agent coder at "+dead) || !strings.Contains(out, "connection refused") {
		t.Errorf("validate --check on a closed port: exit %d\n%s", code, out)
	}
	if code, out := lessonl(t, live, "spec", "validate", "--check", sp); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("validate --check on the live server: exit %d\n%s", code, out)
	}
	wrong := endpointSpec(t, "Qwen/Qwen2.5-Coder-7B-Instruct", "")
	code, out = lessonl(t, live, "spec", "validate", "--check", wrong)
	if code == 0 || !strings.Contains(out, `agent coder at `+live+`: model "Qwen/Qwen2.5-Coder-7B-Instruct" is not served`) || !strings.Contains(out, "sim/coder-a") {
		t.Errorf("validate --check with a model the server lacks: exit %d\n%s", code, out)
	}

	// run with the preflight: refused, nothing written.
	runDir := filepath.Join(t.TempDir(), "run")
	code, out = lessonl(t, dead, "run", sp, "--out", runDir, "--plain")
	if _, err := os.Stat(runDir); code == 0 || !strings.Contains(out, "preflight") || err == nil {
		t.Errorf("run against a closed port: exit %d, folder written: %v\n%s", code, err == nil, out)
	}
	code, out = lessonl(t, live, "run", wrong, "--out", runDir, "--plain")
	if _, err := os.Stat(runDir); code == 0 || !strings.Contains(out, "is not served") || err == nil {
		t.Errorf("run with a model the server lacks: exit %d, folder written: %v\n%s", code, err == nil, out)
	}

	// --no-preflight: every cell failed, loudly.
	code, out = lessonl(t, dead, "run", sp, "--out", runDir, "--plain", "--no-preflight")
	t.Logf("run --no-preflight against a closed port:\n%s", out)
	if code == 0 || !strings.Contains(out, "2 of 2 cells failed") || !strings.Contains(out, "connection refused") ||
		!strings.Contains(out, "LLM error in") || strings.Contains(strings.ToLower(out), "the sim team, a simulator") {
		t.Errorf("run --no-preflight against a closed port: exit %d\n%s", code, out)
	}
	cells, err := record.Read[record.Cell](runDir, record.TableCells)
	if err != nil || len(cells) != 2 {
		t.Fatalf("%d cells recorded: %v", len(cells), err)
	}
	for _, c := range cells {
		if c.Status != "failed" || !strings.Contains(c.Error, "connection refused") {
			t.Errorf("cell %s/%s: status %s, error %q", c.Strategy, c.ProblemID, c.Status, c.Error)
		}
	}
	// --keep-failed leaves them; a plain resume with the fixed URL redoes them.
	if code, out := lessonl(t, live, "run", sp, "--out", runDir, "--plain", "--resume", "--keep-failed"); code != 0 || !strings.Contains(out, "0 run now, 2 already recorded") {
		t.Errorf("resume --keep-failed: exit %d\n%s", code, out)
	}
	code, out = lessonl(t, live, "run", sp, "--out", runDir, "--plain", "--resume")
	if code != 0 || !strings.Contains(out, "2 run now, 0 already recorded, 0 failed") || !strings.Contains(strings.ToLower(out), "the sim team, a simulator") {
		t.Errorf("resume after fixing the URL: exit %d\n%s", code, out)
	}
	cells, _ = record.Read[record.Cell](runDir, record.TableCells)
	for _, c := range cells {
		if c.Status != "done" || c.Error != "" {
			t.Errorf("after resume, cell %s/%s: status %s, error %q", c.Strategy, c.ProblemID, c.Status, c.Error)
		}
	}
	if len(cells) != 2 {
		t.Errorf("%d cells recorded after resume, want 2", len(cells))
	}
}

// TestWaitForServer: a server that refuses connections for a while, then
// serves. With wait_ready the run waits for it (and says so); without it,
// each call's retries carry it over the gap (that retry_for keeps retrying
// past the attempts is TestOpenAIFaults' "503 six times, within MaxWait").
// Either way nothing fails.
func TestWaitForServer(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	const delay = 3 * time.Second
	cases := []struct {
		name, extra, note string
		opts              Options
	}{
		{name: "wait_ready", extra: ", wait_ready: 2m", note: "waiting for agent coder: sim/coder-a at"},
		{name: "retry_for during the run", extra: ", retry_for: 2m", note: "", opts: Options{NoPreflight: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url, addr := closedURL(t)
			t.Setenv("LESSONL_TEST_URL", url)
			sp := endpointSpec(t, "sim/coder-a", c.extra)
			var log bytes.Buffer
			opts := c.opts
			opts.Progress = &Lines{W: &log}
			start := time.Now()
			serveSimLater(t, addr, delay)
			sum, _, err := Execute(context.Background(), sp, filepath.Join(t.TempDir(), "run"), opts, "test")
			if err != nil {
				t.Fatalf("%v\n%s", err, log.String())
			}
			if sum.Ran != 2 || sum.Failed != 0 {
				t.Errorf("summary %+v, want 2 cells run, none failed\n%s", sum, log.String())
			}
			if took := time.Since(start); took < delay {
				t.Errorf("the run took %v, less than the %v the server refused", took, delay)
			}
			if !strings.Contains(log.String(), c.note) {
				t.Errorf("progress lacks %q:\n%s", c.note, log.String())
			}
		})
	}
}

// TestFaultyServerLosesNoCall puts a fault-injecting proxy in front of the
// sim team: of the distinct chat requests, one in four first gets an
// empty choices list, one in four a 503, and one in four a choice without
// content and then an empty list, before the sim answers. Each fault is
// retried, so no cell fails and the retried calls record their attempts.
func TestFaultyServerLosesNoCall(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	target, err := url.Parse(simURL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	const (
		noChoices = `{"id":"x","object":"chat.completion","choices":[]}`
		noContent = `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"stop"}]}`
	)
	var mu sync.Mutex
	seen := map[string][2]int{} // body -> {index among distinct requests, attempts}
	var requests, injected atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/chat/completions" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			requests.Add(1)
			mu.Lock()
			st, ok := seen[string(body)]
			if !ok {
				st[0] = len(seen)
			}
			st[1]++
			seen[string(body)] = st
			mu.Unlock()
			fault := ""
			switch idx, attempt := st[0], st[1]; {
			case idx%4 == 0 && attempt == 1:
				fault = noChoices
			case idx%4 == 1 && attempt == 1:
				fault = "503"
			case idx%4 == 2 && attempt == 1:
				fault = noContent
			case idx%4 == 2 && attempt == 2:
				fault = noChoices
			}
			switch fault {
			case "":
			case "503":
				injected.Add(1)
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			default:
				injected.Add(1)
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, fault)
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	sp := miniSpec(t, srv.URL+"/v1", `  - {name: single, kind: single, agents: [a]}
  - {name: voting, kind: voting, agents: [a, b, c]}`, "[1]")
	out := filepath.Join(t.TempDir(), "run")
	sum, _, err := Execute(context.Background(), sp, out, Options{}, "test")
	if err != nil || sum.Failed != 0 || sum.Ran != 4 {
		t.Fatalf("summary %+v, %v; want 4 cells, none failed", sum, err)
	}
	calls, _ := record.Read[record.LLMCall](out, record.TableLLMCalls)
	retried := 0
	for _, c := range calls {
		if c.Error != "" || c.Reply == "" {
			t.Errorf("call %s/%s: error %q, reply %d bytes", c.ProblemID, c.CallID, c.Error, len(c.Reply))
		}
		if c.Attempts > 1 {
			retried++
		}
	}
	if injected.Load() == 0 || retried == 0 {
		t.Errorf("%d faults injected, %d calls retried", injected.Load(), retried)
	}
	t.Logf("%d chat requests, %d faults injected, %d of %d calls retried", requests.Load(), injected.Load(), retried, len(calls))
}

// TestPreflightEmbeddings: the spec's embeddings endpoint gets one
// embeddings request; a dead one is a line naming it.
func TestPreflightEmbeddings(t *testing.T) {
	live := simURL(t)
	dead, _ := closedURL(t)
	for _, c := range []struct {
		url, model, want string
	}{
		{live, "sim/embed", ""},
		{dead, "sim/embed", "embeddings (sim/embed) at " + dead + ": POST " + dead + "/embeddings with sim/embed"},
		{live, "neulab/codebert-cpp", `embeddings (neulab/codebert-cpp) at ` + live + `: POST ` + live + `/embeddings with neulab/codebert-cpp: server answered 404`},
	} {
		text := fmt.Sprintf(`name: emb
agents: [{name: a, provider: openai, base_url: %s, model: sim/coder-a}]
strategies: [{name: ll, kind: lessonl, agents: [a], params: {relevance: embeddings}}]
embeddings: {provider: openai, base_url: %s, model: %s}
`, live, c.url, c.model)
		s, err := spec.Parse("emb.yaml", []byte(text), env(nil))
		if err != nil {
			t.Fatal(err)
		}
		err = Preflight(context.Background(), s, nil)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s %s: %v", c.url, c.model, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s %s: %v, want %q", c.url, c.model, err, c.want)
		}
	}
}

package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// hostFixture is what the hostile probes aim at on the host: a unix
// socket under the host's /tmp, an abstract socket, a file with a secret,
// another candidate's folder, a process of the host's, and an API key in
// the harness's environment.
type hostFixture struct {
	socket, abstract       string
	socketHits, abstractIn atomic.Int32
	secretFile, secret     string
	other                  string // another candidate's folder, holding a file "secret"
	otherSecret            string
	hostPid                int
	apiKey                 string
	escape                 string // a file name no one uses
}

func newHostFixture(t *testing.T, s *Sandbox) *hostFixture {
	t.Helper()
	h := &hostFixture{secret: fmt.Sprintf("lessonl-host-secret-%d", time.Now().UnixNano()),
		otherSecret: "another-candidates-secret", apiKey: "sk-lessonl-probe-key",
		escape: fmt.Sprintf("lessonl-escape-%d", time.Now().UnixNano())}
	t.Setenv("OPENAI_API_KEY", h.apiKey)
	// Under the host's /tmp, open to everyone, so that only the view can
	// stop a connection or a read.
	hostDir, err := os.MkdirTemp("/tmp", "lessonl-host-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(hostDir) })
	if err := os.Chmod(hostDir, 0o777); err != nil {
		t.Fatal(err)
	}
	h.socket = filepath.Join(hostDir, "sock")
	ln, err := net.Listen("unix", h.socket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	os.Chmod(h.socket, 0o777)
	go acceptCounting(ln, &h.socketHits)
	h.abstract = fmt.Sprintf("lessonl-probe-%d", os.Getpid())
	aln, err := net.Listen("unix", "@"+h.abstract)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { aln.Close() })
	go acceptCounting(aln, &h.abstractIn)
	h.secretFile = filepath.Join(hostDir, "secret.h")
	if err := os.WriteFile(h.secretFile, []byte("#error "+h.secret+"\n"+h.secret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.other = sandboxDir(t, s)
	if err := os.WriteFile(filepath.Join(h.other, "secret"), []byte(h.otherSecret), 0o644); err != nil {
		t.Fatal(err)
	}
	sleeper := exec.Command("sleep", "120")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleeper.Process.Kill(); sleeper.Wait() })
	h.hostPid = sleeper.Process.Pid
	return h
}

func acceptCounting(ln net.Listener, n *atomic.Int32) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		n.Add(1)
		c.Close()
	}
}

// probeRun is one hostile probe's compile (C++ only) and run.
type probeRun struct {
	dir     string
	uid     uint32
	compile Exit
	run     Exit
	ran     bool
	before  map[string][32]byte // the executables' digests before the run
}

// TestSandboxHostileProbes runs hostile programs of each class the
// sandbox must hold (C++, Python and shell) as real processes under small
// limits (a 64 MiB folder, 256 MiB of memory, a 2 s wall limit) and
// asserts each denial or verdict.
func TestSandboxHostileProbes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs hostile processes")
	}
	s := New()
	if !s.PrivateFilesystem() || s.cg == nil || s.folderCap == 0 || s.uids == nil {
		t.Skipf("needs root, bubblewrap, cgroups and tmpfs folders: %v", s.Enforced())
	}
	t.Cleanup(func() { s.Close() })
	s.setFolderCap(64 << 20)
	h := newHostFixture(t, s)
	lim := Limits{Wall: 2 * time.Second, CPU: 4 * time.Second, AddressSpace: 1 << 30, FileSize: 1 << 30,
		Processes: 32, Output: 64 << 10, Memory: 256 << 20}
	denied := func(t *testing.T, r *probeRun) {
		t.Helper()
		if r.run.Code != 3 {
			t.Errorf("exit %d, want 3 (every attempt denied); stdout:\n%s\nstderr:\n%s", r.run.Code, r.run.Stdout, r.run.Stderr)
		}
	}
	folderFull := func(t *testing.T, r *probeRun) {
		t.Helper()
		d := r.run.Describe(lim)
		if !r.run.FolderFull || !strings.Contains(d, "the candidate's folder is full: cap 64 MiB") {
			t.Errorf("not reported as a full folder: %+v\n%s", r.run, d)
		}
		if st, err := os.Stat(filepath.Join(r.dir, "fill")); err != nil || st.Size() > 64<<20 {
			t.Errorf("the folder holds more than its cap: %v, %v", st, err)
		}
	}
	sleptToLimit := func(t *testing.T, r *probeRun) {
		t.Helper()
		// The wall limit is 2 s; a sleeper has no run-queue delay to be
		// stretched for. The bound leaves room for a busy machine's
		// start-up (whose run-queue delay may stretch the limit a little).
		if !r.run.TimedOut || r.run.Wall > 2*lim.Wall || r.run.Starved > lim.Wall/2 {
			t.Errorf("timed out %v after %s (stretched %s), want a timeout at the 2s limit: %s", r.run.TimedOut, r.run.Wall, r.run.Starved, r.run.Describe(lim))
		}
	}
	unchanged := func(t *testing.T, r *probeRun) {
		t.Helper()
		for name, sum := range r.before {
			b, err := os.ReadFile(filepath.Join(r.dir, name))
			if err != nil || sha256.Sum256(b) != sum {
				t.Errorf("%s was replaced (%v)", name, err)
			}
		}
	}
	noneLeft := func(t *testing.T, r *probeRun) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			left := processesOf(r.uid)
			if len(left) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Errorf("processes of the candidate's user %d left behind: %v", r.uid, left)
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	tests := []struct {
		name   string
		lang   string // c++, python or sh
		src    string // a file of testdata/hostile, or the sh script
		bin    string // the C++ binary's name (default probe)
		cflags []string
		args   []string
		check  func(t *testing.T, r *probeRun)
	}{
		{"c++ connects to a unix socket under the host's /tmp", "c++", "unix_socket.cpp", "", nil, []string{h.socket}, func(t *testing.T, r *probeRun) {
			denied(t, r)
			if n := h.socketHits.Load(); n != 0 {
				t.Errorf("the host socket accepted %d connections", n)
			}
		}},
		{"python connects to a unix socket under the host's /tmp", "python", "unix_socket.py", "", nil, []string{h.socket}, func(t *testing.T, r *probeRun) {
			denied(t, r)
			if n := h.socketHits.Load(); n != 0 {
				t.Errorf("the host socket accepted %d connections", n)
			}
		}},
		{"c++ connects to an abstract socket", "c++", "abstract_socket.cpp", "", nil, []string{h.abstract}, func(t *testing.T, r *probeRun) {
			denied(t, r)
			if n := h.abstractIn.Load(); n != 0 {
				t.Errorf("the abstract socket accepted %d connections", n)
			}
		}},
		{"c++ includes a host file by its absolute path", "c++", "include_host.cpp", "", []string{"-DHOST_FILE=\"" + h.secretFile + "\""}, nil, func(t *testing.T, r *probeRun) {
			msg := r.compile.Stdout + r.compile.Stderr
			if r.compile.Code == 0 || r.ran {
				t.Errorf("the include of a host file compiled: %+v", r.compile)
			}
			if strings.Contains(msg, h.secret) {
				t.Errorf("the compiler's messages show the host file's text:\n%s", msg)
			}
			if !strings.Contains(msg, "No such file") {
				t.Errorf("the compile failed for another reason than a missing file:\n%s", msg)
			}
		}},
		{"python reads a host file", "python", "read_host.py", "", nil, []string{h.secretFile}, func(t *testing.T, r *probeRun) {
			denied(t, r)
			if strings.Contains(r.run.Stdout, h.secret) {
				t.Errorf("the probe read the host file")
			}
		}},
		{"c++ writes 2 GiB into its folder", "c++", "fill_folder.cpp", "", nil, nil, folderFull},
		{"python writes 2 GiB into its folder", "python", "fill_folder.py", "", nil, nil, folderFull},
		{"sh writes 2 GiB into its folder", "sh", "dd if=/dev/zero of=fill bs=1M count=2048; sleep 2", "", nil, nil, folderFull},
		{"c++ holds 5 GiB in memfds", "c++", "memfd.cpp", "", nil, nil, func(t *testing.T, r *probeRun) {
			if d := r.run.Describe(lim); !r.run.OOM || !strings.Contains(d, "out of memory (the limit is 256 MiB") {
				t.Errorf("not killed for memory: %+v\n%s", r.run, d)
			}
		}},
		{"c++ constructor sleeps 300 s", "c++", "sleeper.cpp", "", nil, nil, sleptToLimit},
		{"sh sleeps 300 s", "sh", "sleep 300", "", nil, nil, sleptToLimit},
		{"c++ driver replaces itself and driver-swapped", "c++", "replace_driver.cpp", "driver", nil, nil, func(t *testing.T, r *probeRun) {
			denied(t, r)
			unchanged(t, r)
		}},
		{"sh replaces the driver", "sh", `printf '#!/bin/sh\necho forged\n' > forged; chmod +x forged
			for f in driver driver-swapped; do
				printf 'echo forged' > $f && echo "overwrote $f"
				mv -f forged $f 2>/dev/null && echo "renamed over $f"
				rm -f $f 2>/dev/null && echo "removed $f"
				chmod 777 $f 2>/dev/null && echo "chmod $f"
			done; exit 3`, "driver", nil, nil, func(t *testing.T, r *probeRun) {
			denied(t, r)
			if strings.TrimSpace(r.run.Stdout) != "" {
				t.Errorf("an attempt succeeded:\n%s", r.run.Stdout)
			}
			unchanged(t, r)
		}},
		{"sh reads another candidate's folder", "sh", `cat "$1/secret"; ls "$1" && exit 0; exit 3`, "", nil, []string{h.other}, func(t *testing.T, r *probeRun) {
			denied(t, r)
			if strings.Contains(r.run.Stdout, h.otherSecret) {
				t.Errorf("the probe read another candidate's file")
			}
		}},
		{"sh reads the harness's environment", "sh", `env; exit 3`, "", nil, nil, func(t *testing.T, r *probeRun) {
			if strings.Contains(r.run.Stdout, h.apiKey) || strings.Contains(r.run.Stdout, "OPENAI_API_KEY") {
				t.Errorf("the API key reached the candidate:\n%s", r.run.Stdout)
			}
		}},
		{"sh looks at the host's folders", "sh", `for d in /root /home /var /run /srv /opt /work /etc/passwd /etc/shadow "$(dirname "$1")"; do [ -e "$d" ] && echo "sees $d"; done; ls /tmp; exit 3`, "", nil, []string{h.socket}, func(t *testing.T, r *probeRun) {
			if strings.Contains(r.run.Stdout, "sees") || strings.Contains(r.run.Stdout, "lessonl-host-") {
				t.Errorf("host folders are visible:\n%s", r.run.Stdout)
			}
		}},
		{"sh reads other processes' environ", "sh", `cat /proc/1/environ && exit 0; [ -e /proc/$1 ] && exit 0; n=$(ls -d /proc/[0-9]* | wc -l); [ "$n" -gt 8 ] && echo "sees $n processes" && exit 0; exit 3`, "", nil, []string{strconv.Itoa(h.hostPid)}, denied},
		{"sh writes outside its folder", "sh", `for f in /$1 /usr/$1 /etc/$1 /tmp/$1 /proc/$1 /sys/$1 /dev/$1 "$(dirname "$PWD")/$1"; do touch "$f" 2>/dev/null && echo "wrote $f"; done; exit 3`, "", nil, []string{h.escape}, func(t *testing.T, r *probeRun) {
			denied(t, r)
			if strings.Contains(r.run.Stdout, "wrote") {
				t.Errorf("a write outside the folder succeeded:\n%s", r.run.Stdout)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(r.dir), h.escape)); err == nil {
				t.Errorf("the probe wrote beside its folder")
			}
		}},
		{"python kills a host process, ptraces, setuids", "python", "escapes.py", "", nil, []string{strconv.Itoa(h.hostPid)}, func(t *testing.T, r *probeRun) {
			denied(t, r)
			if syscall.Kill(h.hostPid, 0) != nil {
				t.Errorf("the host process %d died", h.hostPid)
			}
		}},
		{"sh leaves a daemon behind", "sh", `setsid sleep 300 </dev/null >/dev/null 2>&1 & sleep 0.2; exit 3`, "", nil, nil, func(t *testing.T, r *probeRun) {
			denied(t, r)
			noneLeft(t, r)
		}},
		{"sh forks without end", "sh", `f() { f | f & }; f; sleep 300`, "", nil, nil, func(t *testing.T, r *probeRun) {
			if r.run.Code == 0 || r.run.Wall > 4*lim.Wall {
				t.Errorf("the fork bomb ended %+v", r.run)
			}
			noneLeft(t, r)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &probeRun{dir: sandboxDir(t, s), before: map[string][32]byte{}}
			r.uid = s.credFor(r.dir).Uid
			args := tt.args
			var name string
			switch tt.lang {
			case "c++":
				copyProbe(t, tt.src, filepath.Join(r.dir, "probe.cpp"))
				bin := tt.bin
				if bin == "" {
					bin = "probe"
				}
				cargs := append(append([]string{}, tt.cflags...), "-O1", "probe.cpp", "-o", bin)
				r.compile = runProbe(t, s, r.dir, compileLimits(), "g++", cargs...)
				if r.compile.Code != 0 {
					if tt.cflags == nil {
						t.Fatalf("the probe does not compile: %s", r.compile.Describe(compileLimits()))
					}
					t.Logf("compile: %s", truncate(r.compile.Stderr, 300))
					tt.check(t, r)
					return
				}
				name = "./" + bin
			case "python":
				copyProbe(t, tt.src, filepath.Join(r.dir, "probe.py"))
				name, args = "python3", append([]string{"-I", "-B", "probe.py"}, args...)
			case "sh":
				name, args = "/bin/sh", append([]string{"-c", tt.src, "probe"}, args...)
			}
			if tt.bin == "driver" {
				// The harness's two drivers, as linked in the folder by the
				// candidate's own user: the sealing must protect them.
				if tt.lang == "sh" {
					for _, b := range []string{"driver", "driver-swapped"} {
						runProbe(t, s, r.dir, lim, "/bin/sh", "-c", "printf '#!/bin/sh\\necho honest\\n' > "+b+"; chmod 755 "+b)
					}
				} else {
					runProbe(t, s, r.dir, lim, "/bin/cp", "driver", "driver-swapped")
				}
				for _, b := range []string{"driver", "driver-swapped"} {
					data, err := os.ReadFile(filepath.Join(r.dir, b))
					if err != nil {
						t.Fatal(err)
					}
					r.before[b] = sha256.Sum256(data)
				}
			}
			r.run, r.ran = runProbe(t, s, r.dir, lim, name, args...), true
			t.Logf("exit %d after %s; stdout %q; %s", r.run.Code, r.run.Wall.Round(time.Millisecond), truncate(r.run.Stdout, 300), r.run.Describe(lim))
			tt.check(t, r)
		})
	}
}

// runProbe runs name in dir under lim and says how it ended.
func runProbe(t *testing.T, s *Sandbox, dir string, lim Limits, name string, args ...string) Exit {
	t.Helper()
	x, err := s.Command(dir, lim, nil, nil, name, args...).Run(context.Background())
	if err != nil {
		t.Fatalf("run %s: %v", name, err)
	}
	return x
}

// copyProbe copies testdata/hostile/name to dst.
func copyProbe(t *testing.T, name, dst string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "hostile", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// processesOf lists the host's processes running as uid.
func processesOf(uid uint32) []string {
	var out []string
	stats, _ := filepath.Glob("/proc/[0-9]*/status")
	want := "Uid:\t" + strconv.FormatUint(uint64(uid), 10) + "\t"
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(b, []byte(want)) {
			continue
		}
		name, _, _ := strings.Cut(string(b), "\n")
		out = append(out, filepath.Base(filepath.Dir(path))+" "+name)
	}
	return out
}

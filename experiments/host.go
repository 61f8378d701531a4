package experiments

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// cpuModel is the machine's CPU model, from /proc/cpuinfo; GOARCH where
// that says nothing.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if _, v, ok := strings.Cut(l, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}

// compilerVersion is the first line of the compiler's --version (g++ when
// compiler is empty).
func compilerVersion(compiler string) string {
	if compiler == "" {
		compiler = "g++"
	}
	out, err := exec.Command(compiler, "--version").Output()
	if err != nil {
		return compiler + " (version unknown)"
	}
	first, _, _ := bytes.Cut(out, []byte("\n"))
	return string(first)
}

// hostname for manifests.
func hostname() string {
	h, _ := os.Hostname()
	return h
}

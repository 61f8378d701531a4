package busy

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// Meter samples the machine's load from Start until Stop.
type Meter struct {
	mu    sync.Mutex
	sum   float64
	n     int
	stop  chan struct{}
	done  chan struct{}
	every time.Duration
}

// Start starts sampling every 50 ms, with a first sample now.
func Start() *Meter {
	m := &Meter{stop: make(chan struct{}), done: make(chan struct{}), every: 50 * time.Millisecond}
	m.sample()
	go m.loop()
	return m
}

func (m *Meter) loop() {
	defer close(m.done)
	t := time.NewTicker(m.every)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			m.sample()
		}
	}
}

func (m *Meter) sample() {
	s := Now()
	m.mu.Lock()
	m.sum += s
	m.n++
	m.mu.Unlock()
}

// Stop ends sampling and returns the mean slowdown.
func (m *Meter) Stop() float64 {
	select {
	case <-m.stop:
	default:
		close(m.stop)
		<-m.done
	}
	return m.Slowdown()
}

// Slowdown is the mean slowdown sampled so far, at least 1.
func (m *Meter) Slowdown() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n == 0 {
		return 1
	}
	return max(1, m.sum/float64(m.n))
}

// Scale stretches d, a bound that holds on an idle machine, by the
// slowdown sampled so far.
func (m *Meter) Scale(d time.Duration) time.Duration {
	return time.Duration(float64(d) * m.Slowdown())
}

// Now is the slowdown at this moment: runnable processes (from
// /proc/stat) per CPU, at least 1; 1 where /proc/stat is not readable.
func Now() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 1
	}
	return slowdown(b, runtime.NumCPU())
}

// slowdown reads procs_running from a /proc/stat text.
func slowdown(stat []byte, cpus int) float64 {
	const key = "\nprocs_running "
	i := bytes.Index(stat, []byte(key))
	if i < 0 || cpus < 1 {
		return 1
	}
	rest := stat[i+len(key):]
	if j := bytes.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(rest)))
	if err != nil {
		return 1
	}
	return max(1, float64(n)/float64(cpus))
}

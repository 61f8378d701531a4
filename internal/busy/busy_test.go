package busy

import (
	"os/exec"
	"runtime"
	"testing"
	"time"
)

func TestSlowdownParse(t *testing.T) {
	tests := []struct {
		name string
		stat string
		cpus int
		want float64
	}{
		{"idle", "cpu  1 2 3\nprocs_running 1\nprocs_blocked 0\n", 2, 1},
		{"three per cpu", "cpu  1 2 3\nprocs_running 6\nprocs_blocked 0\n", 2, 3},
		{"last line", "cpu  1\nprocs_running 9", 4, 2.25},
		{"missing", "cpu  1 2 3\n", 2, 1},
		{"garbage", "cpu\nprocs_running x\n", 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slowdown([]byte(tt.stat), tt.cpus); got != tt.want {
				t.Errorf("slowdown = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestMeterSeesLoad starts CPU-bound processes and checks that the meter
// reports more slowdown with them than the bound it had before.
func TestMeterSeesLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the machine")
	}
	before := Start()
	time.Sleep(300 * time.Millisecond)
	idle := before.Stop()
	var spinners []*exec.Cmd
	for i := 0; i < 8; i++ {
		c := exec.Command("sh", "-c", "while :; do :; done")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		spinners = append(spinners, c)
	}
	defer func() {
		for _, c := range spinners {
			c.Process.Kill()
			c.Wait()
		}
	}()
	m := Start()
	time.Sleep(500 * time.Millisecond)
	loaded := m.Stop()
	// Eight spinners add 8/NumCPU runnable processes per CPU to whatever
	// ran before (a few samples may miss one that a shell just forked).
	if want := 0.75 * 8 / float64(runtime.NumCPU()); loaded < want {
		t.Errorf("slowdown with 8 spinners %.2f, want at least %.2f (before them %.2f)", loaded, want, idle)
	}
	if d := m.Scale(time.Second); d != time.Duration(float64(time.Second)*loaded) {
		t.Errorf("Scale(1s) = %s at slowdown %.2f", d, loaded)
	}
}

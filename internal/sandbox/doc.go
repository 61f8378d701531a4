// Package sandbox runs untrusted commands (compilers, candidates' drivers,
// Python judges and workers) under limits, each in a folder of its own,
// and says how each ended. The evaluators (internal/evaluate for C++,
// internal/pyeval for Python) use it; it knows nothing of problems,
// candidates or timing, and imports nothing of lessonl.
//
// Its idea is that what a machine allows is detected once and then
// enforced everywhere: New probes the machine, and Sandbox.Enforced says
// which protections are in force (for the run manifest). Every command
// gets a wall-clock watchdog that kills its process group (its limit
// stretched only for the time the process waited on a run queue, never
// for time it slept: watchdog.go), rlimits on CPU time, address space,
// file size and processes, capped output, and, where the machine allows,
// fresh PID and network namespaces; a control group per process bounding
// the memory it really holds (anonymous memory, memfds, tmpfs) and its
// tasks, and giving its CPU time and tasks whole (Proc.CPUTime,
// Proc.Tasks); a user and group of its own per folder, unique across
// lessonl processes on the machine (Linux counts the process limit per
// user, so a shared user would let one candidate, or a busy machine,
// starve every other); each folder a tmpfs of a fixed size; the harness's
// binaries in a folder sealed (root's, read-only, in a sticky folder)
// before any process starts there; and a private filesystem view
// (bubblewrap: the toolchain and system libraries read-only, the process's
// own folder writable, nothing of the host's /tmp, /run, /var, /home,
// /root or working tree).
//
// A caller hands a folder to Sandbox.Owner, shares read-only folders with
// Sandbox.Share, runs commands there with Sandbox.Command or
// Sandbox.Start (a Proc, whose Wait gives an Exit), and gives the folder
// back with Sandbox.Release. The hostile probes under testdata/hostile
// try to escape; TestSandboxHostileProbes asserts that each fails.
package sandbox

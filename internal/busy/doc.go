// Package busy measures how busy the machine is, so that a test can hold
// a time bound that means something on an idle machine and still holds on
// a shared one. A Meter samples the number of runnable processes while an
// operation runs; its slowdown is how much longer CPU-bound work takes
// than on an idle machine (runnable processes per CPU, never below 1), and
// Scale stretches an idle-machine bound by it. Bounds scale with what was
// measured, not with a fixed allowance.
package busy

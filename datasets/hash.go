package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// ContentHash is the sha256 of everything that defines the problem: its
// fields (code, driver, sizes, tolerance, solutions, shared types,
// prelude, defects), the files its driver includes, and for a generate
// problem its prompt, reference solution and hidden tests; not where it was
// read from (Suite, a folder's path). Two runs whose
// problem has the same hash saw the very same problem; a run records it in
// its problems table.
func (p *Problem) ContentHash() string {
	h := sha256.New()
	// Where the problem was read from is not its content: a folder's
	// problems hash alike wherever the folder lies.
	q := *p
	q.Suite = ""
	// Marshalling a struct of plain fields and maps (keys sorted) cannot
	// fail and is deterministic.
	for _, part := range []any{&q, p.Files, p.Gen} {
		b, _ := json.Marshal(part)
		h.Write(b)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

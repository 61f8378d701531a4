package analysis

import (
	// The strategy kinds register themselves, with their traits, in these
	// packages.
	_ "github.com/lessonlab/lessonl/baselines"
	"github.com/lessonlab/lessonl/internal/strategy"
	_ "github.com/lessonlab/lessonl/lessons"
)

// traitsOf are the registered traits of the kind a result records; none
// for a kind this build does not know.
func traitsOf(kind string) strategy.Traits {
	k, _ := strategy.LookupKind(kind)
	return k.Traits
}

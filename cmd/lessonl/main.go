// Command lessonl runs multi-agent code-optimization experiments: the
// LessonL framework and its baselines over code-optimization datasets.
// It only parses flags and calls packages; see the README for the commands.
package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	app := &cli.App{
		Name:    "lessonl",
		Usage:   "multi-agent code optimization with LLMs: run, measure, compare",
		Version: version,
		Commands: []*cli.Command{
			datasetsCommand(),
			evalCommand(),
			benchCommand(),
			specCommand(),
			planCommand(),
			slurmCommand(),
			runCommand(),
			mergeCommand(),
			analyzeCommand(),
			compareCommand(),
			plotCommand(),
			reportCommand(),
			viewCommand(),
			serveSimCommand(),
		},
	}
	if err := app.Run(flagsFirst(app, os.Args)); err != nil {
		fmt.Fprintln(os.Stderr, "lessonl:", err)
		os.Exit(1)
	}
}

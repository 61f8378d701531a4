// Command lessonl runs multi-agent code-optimization experiments: the
// LessonL framework and its baselines over code-optimization datasets.
// It only parses flags and calls packages; see the README for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/experiments"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// revision and modified stand in for the build information's VCS
// revision where the go command cannot stamp it (a git worktree, or
// -buildvcs=false); the Makefile sets them with -ldflags.
var revision, modified string

func main() {
	app := newApp()
	ctx, stop := interruptible(context.Background())
	defer stop()
	err := app.RunContext(ctx, flagsFirst(app, os.Args))
	switch {
	case err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled):
		fmt.Fprintln(os.Stderr, "lessonl: interrupted")
		os.Exit(exitInterrupted)
	case errors.As(err, new(verdictError)):
		os.Exit(exitFailure)
	case err != nil:
		fmt.Fprintln(os.Stderr, "lessonl:", err)
		os.Exit(exitStatus(err))
	}
}

// newApp is the command tree.
func newApp() *cli.App {
	app := &cli.App{
		Name:                 "lessonl",
		Usage:                "multi-agent code optimization with LLMs: run, measure, compare",
		Version:              toolVersion(),
		EnableBashCompletion: true,
		Commands: []*cli.Command{
			datasetsCommand(),
			evalCommand(),
			benchCommand(),
			specCommand(),
			planCommand(),
			slurmCommand(),
			runCommand(),
			rerunCommand(),
			mergeCommand(),
			checkCommand(),
			exportCommand(),
			analyzeCommand(),
			compareCommand(),
			plotCommand(),
			reportCommand(),
			viewCommand(),
			serveSimCommand(),
			versionCommand(),
			completionCommand(),
		},
	}
	app.OnUsageError = func(c *cli.Context, err error, _ bool) error { return usageError{err} }
	markUsageErrors(app.Commands)
	return app
}

// interruptible returns a context that ends at the first Ctrl-C or
// SIGTERM, so every command stops its running compiles and drivers and
// removes its temporary folders; a second signal kills at once.
func interruptible(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

// toolVersion names this build in manifests: the -ldflags version when
// set, else the module version, with the VCS revision.
func toolVersion() string {
	return build().String()
}

// build is this binary's build information, with the -ldflags fallbacks.
func build() experiments.Build {
	b := experiments.ReadBuild()
	if version != "dev" {
		b.Version = version
	}
	if b.Revision == "" && revision != "" {
		b.Revision, b.Modified = revision, modified == "true"
	}
	return b
}

// Command lessonl runs multi-agent code-optimization experiments: the
// LessonL framework and its baselines over code-optimization datasets.
// It only parses flags and calls packages; see the README for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	ctx, stop := interruptible(context.Background())
	status := run(ctx, os.Stdout, os.Stderr, os.Args)
	stop()
	os.Exit(status)
}

// run runs the command line args (args[0] is the program's name), writing
// what it prints to stdout and stderr, and returns the exit status: every
// command writes to the writers it is given, so a test runs the whole CLI
// with buffers.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) int {
	app := newApp()
	app.Writer, app.ErrWriter = stdout, stderr
	// Errors with an exit status (cli.Exit) are handled below, not by
	// urfave/cli's default, which writes to its global ErrWriter and exits.
	app.ExitErrHandler = func(*cli.Context, error) {}
	err := app.RunContext(ctx, flagsFirst(app, args))
	if exit, ok := err.(cli.ExitCoder); ok {
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(stderr, msg)
		}
		return exit.ExitCode()
	}
	switch {
	case err == nil:
		return 0
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "lessonl: interrupted")
		return exitInterrupted
	case errors.As(err, new(verdictError)):
		return exitFailure
	default:
		fmt.Fprintln(stderr, "lessonl:", err)
		return exitStatus(err)
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

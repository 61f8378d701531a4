package main

import (
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/internal/llm/sim"
)

func serveSimCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve-sim",
		Usage: "serve the sim team (a SIMULATOR, models sim/...) over the OpenAI chat-completions API",
		Description: "Serves GET /v1/models, POST /v1/chat/completions and POST /v1/embeddings, so that\n" +
			"the openai provider's real HTTP path can run against the simulated team. The sim answers\n" +
			"with the problems' known solutions, chosen by documented skill profiles.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8199", Usage: "address to listen on"},
			&cli.DurationFlag{Name: "latency", Usage: "latency injected before every answer, e.g. 200ms"},
			&cli.Int64Flag{Name: "seed", Usage: "mixed into every answer, to reseed the whole team"},
			modeFlag(),
		}, sourceFlags()...),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("serve-sim takes no arguments, got %q", c.Args().Slice())
			}
			ps, err := loadProblems(c)
			if err != nil {
				return err
			}
			team, err := sim.New(sim.Config{Problems: ps, Latency: c.Duration("latency"), Seed: c.Int64("seed")})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", c.String("addr"))
			if err != nil {
				return fmt.Errorf("serve-sim: %w", err)
			}
			fmt.Fprintf(c.App.ErrWriter, "lessonl serve-sim: a SIMULATOR, not an LLM; %d problems; models %s\n  base URL http://%s/v1 (Ctrl-C stops)\n",
				len(ps), strings.Join(team.Models(), ", "), ln.Addr())
			return sim.Serve(c.Context, ln, team, slog.New(slog.NewTextHandler(c.App.ErrWriter, nil)))
		},
	}
}

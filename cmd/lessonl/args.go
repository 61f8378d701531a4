package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// flagsFirst moves flags that follow positional arguments in front of
// them, so that `lessonl slurm SPEC --shards 4` works as users type it;
// urfave/cli v2 stops reading flags at the first positional argument.
// A flag's value moves with it unless the flag is boolean; "--" ends the
// flags as usual.
func flagsFirst(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	cmds := app.Commands
	var flags []cli.Flag
	i := 1
	// Walk down the command chain: lessonl datasets check ...
	for i < len(args) {
		c := findCommand(cmds, args[i])
		if c == nil {
			break
		}
		out = append(out, args[i])
		cmds, flags = c.Subcommands, c.Flags
		i++
	}
	var front, back []string
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			back = append(back, args[i:]...)
			break
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			front = append(front, a)
			if !strings.Contains(a, "=") && takesValue(flags, strings.TrimLeft(a, "-")) && i+1 < len(args) {
				i++
				front = append(front, args[i])
			}
			continue
		}
		back = append(back, a)
	}
	return append(append(out, front...), back...)
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.Name == name {
			return c
		}
		for _, a := range c.Aliases {
			if a == name {
				return c
			}
		}
	}
	return nil
}

func takesValue(flags []cli.Flag, name string) bool {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				_, isBool := f.(*cli.BoolFlag)
				return !isBool
			}
		}
	}
	return false
}

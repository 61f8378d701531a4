package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version and the VCS revision this binary was built from (as every manifest records them)",
		Action: func(c *cli.Context) error {
			w := c.App.Writer
			b := build()
			fmt.Fprintf(w, "lessonl %s\n", toolVersion())
			rev := b.Revision
			if rev == "" {
				rev = "unknown (built without VCS information, e.g. with -buildvcs=false or outside a git checkout)"
			}
			fmt.Fprintf(w, "revision: %s\nmodified: %v\n", rev, b.Modified)
			return nil
		},
	}
}

// requiredInt is an IntFlag that must be given: its help shows no
// default, since its zero value is not one.
type requiredInt struct{ *cli.IntFlag }

func required(f *cli.IntFlag) requiredInt { return requiredInt{f} }

// GetDefaultText implements cli.DocGenerationFlag: none.
func (requiredInt) GetDefaultText() string { return "" }

// String renders the flag's help line without a default.
func (r requiredInt) String() string { return cli.FlagStringer(r) }

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: source <(lessonl completion bash)",
		ArgsUsage: "bash|zsh|fish",
		Action: func(c *cli.Context) error {
			w := c.App.Writer
			switch c.Args().First() {
			case "bash":
				fmt.Fprint(w, bashCompletion)
			case "zsh":
				fmt.Fprint(w, zshCompletion)
			case "fish":
				s, err := c.App.ToFishCompletion()
				if err != nil {
					return err
				}
				fmt.Fprint(w, s)
			default:
				return fmt.Errorf("completion: want one of bash, zsh, fish; got %q", strings.Join(c.Args().Slice(), " "))
			}
			return nil
		},
	}
}

// The bash and zsh scripts ask lessonl itself for the words that may
// follow (urfave/cli's --generate-bash-completion), so they stay true as
// commands and flags change.
const bashCompletion = `# lessonl completion for bash: source <(lessonl completion bash)
_lessonl_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local -a words=("${COMP_WORDS[@]:0:COMP_CWORD}")
  local opts
  if [[ "$cur" == -* ]]; then
    opts=$("${words[@]}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    opts=$("${words[@]}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o bashdefault -o default -F _lessonl_complete lessonl
`

const zshCompletion = `#compdef lessonl
# lessonl completion for zsh: source <(lessonl completion zsh)
_lessonl() {
  local -a opts
  local cur=${words[-1]}
  if [[ "$cur" == -* ]]; then
    opts=("${(@f)$(${words[@]:0:#words[@]-1} $cur --generate-bash-completion)}")
  else
    opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion)}")
  fi
  if [[ -n "${opts[1]}" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
compdef _lessonl lessonl
`

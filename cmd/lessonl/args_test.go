package main

import (
	"reflect"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestFlagsFirst(t *testing.T) {
	app := &cli.App{Commands: []*cli.Command{
		{Name: "slurm", Flags: []cli.Flag{&cli.IntFlag{Name: "shards"}, &cli.BoolFlag{Name: "json"}}},
		{Name: "datasets", Subcommands: []*cli.Command{{Name: "check", Flags: []cli.Flag{&cli.BoolFlag{Name: "json"}, &cli.StringFlag{Name: "dir"}}}}},
	}}
	tests := []struct{ in, want []string }{
		{[]string{"l", "slurm", "s.yaml", "--shards", "4"}, []string{"l", "slurm", "--shards", "4", "s.yaml"}},
		{[]string{"l", "slurm", "s.yaml", "--json", "x"}, []string{"l", "slurm", "--json", "s.yaml", "x"}},
		{[]string{"l", "slurm", "--shards=2", "s.yaml"}, []string{"l", "slurm", "--shards=2", "s.yaml"}},
		{[]string{"l", "datasets", "check", "a", "--dir", "d", "b"}, []string{"l", "datasets", "check", "--dir", "d", "a", "b"}},
		{[]string{"l", "slurm", "s.yaml", "--", "--shards"}, []string{"l", "slurm", "s.yaml", "--", "--shards"}},
	}
	for _, tt := range tests {
		if got := flagsFirst(app, tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("flagsFirst(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

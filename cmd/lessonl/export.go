package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/internal/record"
)

func exportCommand() *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "write a run's tables as CSV or JSON Lines, for tools that read no Parquet",
		ArgsUsage: "RUN",
		Description: "Writes one file per table, OUT/<table>.csv or OUT/<table>.jsonl, with the Parquet\n" +
			"columns in their order (see internal/record for what each holds). CSV has a header row and\n" +
			"RFC 4180 quoting (prompts and code span lines); a null is an empty field in CSV and null in JSONL.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: record.FormatCSV, Usage: "csv or jsonl"},
			&cli.StringFlag{Name: "tables", Usage: "only these tables, comma-separated (" + strings.Join(record.ExportOrder, ", ") + ")", DefaultText: "all"},
			&cli.StringFlag{Name: "out", Usage: "folder to write into", DefaultText: "RUN/export"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErr("export: want one RUN folder")
			}
			run := c.Args().First()
			if err := record.CheckRunFolder(run); err != nil {
				return err
			}
			out := c.String("out")
			if out == "" {
				out = filepath.Join(run, "export")
			}
			var tables []string
			for _, t := range strings.Split(c.String("tables"), ",") {
				if t = strings.TrimSpace(t); t != "" {
					tables = append(tables, t)
				}
			}
			done, err := record.Export(run, out, c.String("format"), tables)
			for _, e := range done {
				fmt.Fprintf(c.App.Writer, "%-40s %d rows\n", e.Path, e.Rows)
			}
			return err
		},
	}
}

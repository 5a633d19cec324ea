package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes of every command.
const (
	exitOK      = 0 // success
	exitFailure = 1 // the API answered an error, or the call could not be completed
	exitUsage   = 2 // usage or validation error; nothing was sent
)

// streams are the process' standard streams and environment, passed explicitly so the
// commands can run in-process in tests.
type streams struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// command is one subcommand of the command line.
type command struct {
	name     string
	synopsis string // one line for the command list
	help     string // full help: usage line, description, flags are appended, example
	run      func(ctx context.Context, s *streams, args []string) error
}

// cliError carries the exit code of a failure together with its message.
type cliError struct {
	code int
	err  error
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

// usageErr reports bad input: exit code 2, nothing was sent.
func usageErr(format string, args ...any) error {
	return &cliError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// failure reports an error answered by the API or a failed call: exit code 1.
func failure(err error) error {
	return &cliError{code: exitFailure, err: err}
}

func commands() []*command {
	return []*command{authCommand(), opsCommand(), callCommand(), mockCommand()}
}

const mainHelp = `linnworks talks to the Linnworks API from a shell.

Usage:
  linnworks <command> [flags] [arguments]

Commands:
%s
Credentials come from LINNWORKS_APPLICATION_ID, LINNWORKS_APPLICATION_SECRET and
LINNWORKS_TOKEN. When none of them is set, auth and call use an in-process mock of
Linnworks (and say so on stderr). LINNWORKS_AUTH_SERVER points at another
authorization server, e.g. a "linnworks mock".

Exit codes: 0 success, 1 the API answered an error (or could not be reached),
2 usage or validation error (nothing was sent).

Example:
  linnworks call Inventory_GetCategories

Run "linnworks help <command>" or "linnworks <command> --help" for a command's flags.
`

func writeMainHelp(w io.Writer) {
	var list strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&list, "  %-6s %s\n", c.name, c.synopsis)
	}
	fmt.Fprintf(w, mainHelp, list.String())
}

// run executes the command line args (without the program name) and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	s := &streams{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 {
		writeMainHelp(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help":
		writeMainHelp(stdout)
		return exitOK
	case "help":
		if len(rest) == 0 {
			writeMainHelp(stdout)
			return exitOK
		}
		c := lookupCommand(rest[0])
		if c == nil {
			fmt.Fprintf(stderr, "linnworks help: unknown command %q; run \"linnworks help\" for the list\n", rest[0])
			return exitUsage
		}
		// Print the help through the command's own flag set so the flags are listed.
		return exitCode(stderr, c.name, c.run(ctx, s, []string{"--help"}))
	}
	c := lookupCommand(name)
	if c == nil {
		fmt.Fprintf(stderr, "linnworks: unknown command %q; run \"linnworks help\" for the list\n", name)
		return exitUsage
	}
	return exitCode(stderr, c.name, c.run(ctx, s, rest))
}

func lookupCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// exitCode reports err on stderr, prefixed with the command, and maps it to an exit code.
func exitCode(stderr io.Writer, name string, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintf(stderr, "linnworks %s: %v\n", name, err)
	if ce, ok := errors.AsType[*cliError](err); ok {
		return ce.code
	}
	return exitFailure
}

// newFlagSet returns a flag set whose errors and help are reported by parseArgs, not printed
// by the flag package itself.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("linnworks "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags interspersed with positional arguments (so that
// `call Orders_GetOpenOrders --data {}` works) and returns the positional ones. Everything
// after a literal "--" is positional. On --help it prints the command's help on stdout and
// returns flag.ErrHelp; on a bad flag it returns a usage error.
func parseArgs(c *command, fs *flag.FlagSet, s *streams, args []string) ([]string, error) {
	var tail []string
	for i, a := range args {
		if a == "--" {
			args, tail = args[:i], args[i+1:]
			break
		}
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				writeCommandHelp(s.stdout, c, fs)
				return nil, flag.ErrHelp
			}
			return nil, usageErr("%v (run \"linnworks %s --help\")", err, c.name)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	return append(positional, tail...), nil
}

// writeCommandHelp prints a command's help with its flags listed in the middle.
func writeCommandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	text, example, _ := strings.Cut(c.help, "\nExample")
	fmt.Fprint(w, strings.TrimRight(text, "\n")+"\n")
	var hasFlags bool
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if example != "" {
		fmt.Fprint(w, "\nExample"+example)
	}
}

// stringsFlag is a repeatable string flag.
type stringsFlag []string

func (f *stringsFlag) String() string { return strings.Join(*f, ",") }

func (f *stringsFlag) Set(v string) error {
	*f = append(*f, v)
	return nil
}

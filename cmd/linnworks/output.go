package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
)

// jsonStyle chooses how JSON responses are printed.
type jsonStyle struct {
	pretty, compact bool
}

func (j *jsonStyle) register(fs *flag.FlagSet) {
	fs.BoolVar(&j.pretty, "pretty", false, "indent the JSON output (default on a terminal)")
	fs.BoolVar(&j.compact, "compact", false, "print the JSON output on one line (default when piped)")
}

func (j *jsonStyle) check() error {
	if j.pretty && j.compact {
		return usageErr("--pretty and --compact exclude each other")
	}
	return nil
}

// indent reports whether output to w is indented: as asked, else when w is a terminal.
func (j *jsonStyle) indent(w io.Writer) bool {
	switch {
	case j.pretty:
		return true
	case j.compact:
		return false
	}
	return isTerminal(w)
}

// isTerminal reports whether w is a character device (a terminal), not a pipe or file.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// writeJSON prints a JSON document indented or compact, ending with a newline. A body
// that is not JSON is printed as it came.
func writeJSON(w io.Writer, body []byte, indent bool) error {
	var buf bytes.Buffer
	var err error
	if indent {
		err = json.Indent(&buf, body, "", "  ")
	} else {
		err = json.Compact(&buf, body)
	}
	if err != nil {
		buf.Reset()
		buf.Write(body)
	}
	if buf.Len() > 0 && buf.Bytes()[buf.Len()-1] != '\n' {
		buf.WriteByte('\n')
	}
	_, err = w.Write(buf.Bytes())
	return err
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/linnworks-go/linnworks/authn"
)

func callCommand() *command {
	return &command{
		name:     "call",
		synopsis: "call any operation by id and print its JSON response",
		help: `Usage: linnworks call OPERATION_ID [--data JSON | --data @FILE | --data -] [--query NAME=VALUE ...] [--path NAME=VALUE ...]

Calls one operation of the API (see "linnworks ops"), e.g. Orders_GetOpenOrders. A path
with {NAME} placeholders (the REST services, e.g. /v2/orders/{orderId}/fulfillment-status)
needs each filled with --path NAME=VALUE; values are escaped for you. The request is
checked against the API description before anything is sent: a wrong field, query or
path parameter is reported by name with exit code 2. It then goes through the same
session handling as the Go client (authorization, session header and host, one
re-authorization on 401) and the JSON response is printed: indented on a terminal,
compact when piped.

Credentials come from LINNWORKS_APPLICATION_ID, LINNWORKS_APPLICATION_SECRET and
LINNWORKS_TOKEN; with none of them set the call goes to an in-process mock. Keep
secrets out of shell history: pass bodies that hold them as --data @FILE or --data -.

Exit codes: 0 success, 1 the API answered an error (its status and message are printed
on stderr) or could not be reached, 2 usage or validation error (nothing was sent).

Example:
  linnworks call Inventory_GetCategories
  linnworks call Orders_GetOpenOrders --data '{"entriesPerPage": 10, "pageNumber": 1}'
  linnworks call Stock_GetStockLevel --query stockItemId=0c6b6cf9-3ba4-4ff8-9c05-4a3b2b4fa0a8
  linnworks call ordersv2.Orders_GetFulfillmentStatus --path orderId=0c6b6cf9-3ba4-4ff8-9c05-4a3b2b4fa0a8
`,
		run: runCall,
	}
}

func runCall(ctx context.Context, s *streams, args []string) error {
	c := callCommand()
	fs := newFlagSet(c.name)
	data := fs.String("data", "", "request body: JSON, @FILE, or - to read standard input")
	var query, path stringsFlag
	fs.Var(&query, "query", "query parameter NAME=VALUE (repeatable)")
	fs.Var(&path, "path", "path parameter NAME=VALUE, the {NAME} of the operation's path (repeatable)")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long (0: no limit)")
	showToken := fs.Bool("show-token", false, "print session secrets (Token, AccessToken, …) in answers of the Auth operations")
	var style jsonStyle
	style.register(fs)
	var cf credFlags
	cf.register(fs)
	pos, err := parseArgs(c, fs, s, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usageErr("missing OPERATION_ID (run \"linnworks ops\" to list them)")
	case len(pos) > 1:
		return usageErr("expected one OPERATION_ID, got %d arguments: %s", len(pos), strings.Join(pos, " "))
	}
	if err := style.check(); err != nil {
		return err
	}
	dataSet := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "data" {
			dataSet = true
		}
	})

	cat, err := loadCatalog()
	if err != nil {
		return err
	}
	found, err := cat.lookup(pos[0])
	if err != nil {
		return err
	}
	op, err := cat.resolve(ctx, found)
	if err != nil {
		return err
	}
	var body []byte
	if dataSet {
		if body, err = readData(*data, s.stdin); err != nil {
			return err
		}
	}
	q, err := queryValues(op, query)
	if err != nil {
		return err
	}
	pathVals, err := pathValues(op, path)
	if err != nil {
		return err
	}
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	base := cat.authServer
	if found.Server != "" {
		base = found.Server // a REST service: its regional server and version prefix
	}
	req, err := buildRequest(ctx, base, op, body, q, pathVals)
	if err != nil {
		return err
	}
	if err := validateRequest(ctx, op, req, pathVals); err != nil {
		return err
	}
	be, err := newBackend(s, &cf)
	if err != nil {
		return err
	}
	resp, err := be.send(ctx, req)
	if err != nil {
		return failure(be.scrub(req, describeSendError(op, err)))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return failure(fmt.Errorf("%s: reading the response: %w", op.ID, err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return failure(be.scrub(req, apiError(op.ID, resp.StatusCode, raw)))
	}
	if len(raw) == 0 {
		return nil
	}
	if !op.Secured && !*showToken {
		// An Auth operation's answer may hold a session: keep its secrets off the screen.
		red, changed, err := redactJSON(raw, sessionSecretFields)
		if err == nil {
			raw = red
		}
		if err != nil || changed {
			fmt.Fprintf(s.stderr, "linnworks call: session secrets in the answer are redacted; --show-token prints them\n")
		}
		if err != nil {
			return failure(fmt.Errorf("%s: the answer is not JSON; not printed as it may hold secrets: %w", op.ID, err))
		}
	}
	return writeJSON(s.stdout, raw, style.indent(s.stdout))
}

// describeSendError explains a failure to get an answer; a refused authorization keeps
// Linnworks' status and message.
func describeSendError(op *resolvedOp, err error) error {
	if ae, ok := errors.AsType[*authn.AuthError](err); ok {
		return fmt.Errorf("%s: %w", op.ID, ae)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: no answer in time (see --timeout): %w", op.ID, err)
	}
	return fmt.Errorf("%s: %w", op.ID, err)
}

// apiError describes a non-2xx answer: its status and Linnworks' Code and Message, or
// the start of the body when it is not Linnworks' error JSON.
func apiError(id string, status int, body []byte) error {
	msg := fmt.Sprintf("%s: HTTP %d", id, status)
	if t := http.StatusText(status); t != "" {
		msg += " " + t
	}
	var e struct {
		Code    *string
		Message *string
	}
	if err := json.Unmarshal(body, &e); err == nil && e.Message != nil {
		if e.Code != nil && *e.Code != "" {
			msg += " (code " + *e.Code + ")"
		}
		return errors.New(msg + ": " + *e.Message)
	}
	if text := excerpt(body, 200); text != "" {
		msg += ": " + text
	}
	return errors.New(msg)
}

// excerpt returns the start of a body as one line.
func excerpt(body []byte, n int) string {
	s := strings.ToValidUTF8(string(body), "?")
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "") + "…"
	}
	return strings.Join(strings.Fields(s), " ")
}

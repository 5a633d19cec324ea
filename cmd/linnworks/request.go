package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// readData returns the request body named by --data: literal JSON, @file, or - for stdin.
// It must be one JSON document.
func readData(arg string, stdin io.Reader) ([]byte, error) {
	var data []byte
	var from string
	switch {
	case arg == "-":
		from = "standard input"
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, usageErr("--data -: reading standard input: %w", err)
		}
		data = b
	case strings.HasPrefix(arg, "@"):
		from = arg[1:]
		b, err := os.ReadFile(from)
		if err != nil {
			return nil, usageErr("--data %s: %w", arg, err)
		}
		data = b
	default:
		from = "the --data value"
		data = []byte(arg)
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, usageErr("--data: %s is empty; a request body is one JSON document", from)
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, usageErr("--data: %s is not valid JSON: %v (at byte %d)", from, err, se.Offset)
		}
		return nil, usageErr("--data: %s is not valid JSON: %v", from, err)
	}
	if dec.More() {
		return nil, usageErr("--data: %s holds more than one JSON document", from)
	}
	return data, nil
}

// queryValues parses repeated --query k=v flags against the operation's query parameters.
// Names are matched ignoring case and sent with the document's spelling.
func queryValues(op *resolvedOp, pairs []string) (url.Values, error) {
	var known []string
	byFold := map[string]string{}
	for _, p := range op.parameters() {
		if p.In == openapi3.ParameterInQuery {
			known = append(known, p.Name)
			byFold[strings.ToLower(p.Name)] = p.Name
		}
	}
	slices.Sort(known)
	q := url.Values{}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageErr("--query %q: want name=value", kv)
		}
		name, ok := byFold[strings.ToLower(k)]
		if !ok {
			pathNames := op.pathParameters()
			if i := slices.IndexFunc(pathNames, func(n string) bool { return strings.EqualFold(n, k) }); i >= 0 {
				return nil, usageErr("%q is a path parameter of %s, not a query parameter: --path %s=VALUE", k, op.ID, pathNames[i])
			}
			takes := "none"
			if len(known) > 0 {
				takes = strings.Join(known, ", ")
			}
			return nil, usageErr("unknown query parameter %q for %s (it takes: %s)", k, op.ID, takes)
		}
		q.Add(name, v)
	}
	return q, nil
}

// pathParamPattern finds the {name} placeholders of a path template.
var pathParamPattern = regexp.MustCompile(`\{([^{}/]+)\}`)

// pathParameters returns the names of op's path parameters in the order the path
// template places them.
func (o *resolvedOp) pathParameters() []string {
	var names []string
	for _, m := range pathParamPattern.FindAllStringSubmatch(o.Path, -1) {
		names = append(names, m[1])
	}
	for _, p := range o.parameters() { // declared but not in the template: still accepted
		if p.In == openapi3.ParameterInPath && !slices.Contains(names, p.Name) {
			names = append(names, p.Name)
		}
	}
	return names
}

// pathValues parses repeated --path NAME=VALUE flags against the operation's path
// parameters: names match ignoring case, each at most once, and every parameter of
// the path template needs a value. The values are returned unescaped, keyed by the
// document's spelling; buildRequest escapes them and validateRequest checks them
// against their schemas.
func pathValues(op *resolvedOp, pairs []string) (map[string]string, error) {
	names := op.pathParameters()
	takes := "none"
	if len(names) > 0 {
		takes = strings.Join(names, ", ")
	}
	vals := map[string]string{}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageErr("--path %q: want NAME=VALUE", kv)
		}
		i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, k) })
		if i < 0 {
			return nil, usageErr("unknown path parameter %q for %s (it takes: %s)", k, op.ID, takes)
		}
		name := names[i]
		if _, dup := vals[name]; dup {
			return nil, usageErr("path parameter %q is given twice", name)
		}
		switch v {
		case "":
			return nil, usageErr("path parameter %q is empty", name)
		case ".", "..":
			return nil, usageErr("path parameter %q: %q is not a value (it would change the path)", name, v)
		}
		vals[name] = v
	}
	var missing []string
	for _, n := range names {
		if _, ok := vals[n]; !ok && strings.Contains(op.Path, "{"+n+"}") {
			missing = append(missing, n)
		}
	}
	switch len(missing) {
	case 0:
		return vals, nil
	case 1:
		return nil, usageErr("%s needs path parameter %q: --path %s=VALUE", op.ID, missing[0], missing[0])
	}
	return nil, usageErr("%s needs path parameters %s: --path NAME=VALUE for each", op.ID, quoteAll(missing))
}

// quoteAll quotes each name and joins them with commas.
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// expandPath fills the {name} placeholders of op's path with the escaped values.
func expandPath(op *resolvedOp, vals map[string]string) (string, error) {
	var missing string
	out := pathParamPattern.ReplaceAllStringFunc(op.Path, func(m string) string {
		name := m[1 : len(m)-1]
		v, ok := vals[name]
		if !ok {
			missing = name
			return m
		}
		return url.PathEscape(v)
	})
	if missing != "" {
		return "", usageErr("%s needs path parameter %q: --path %s=VALUE", op.ID, missing, missing)
	}
	return out, nil
}

// buildRequest makes the HTTP request of op against base (scheme and host; the path comes
// from the document, its parameters filled from path). body is nil when --data was not given.
func buildRequest(ctx context.Context, base string, op *resolvedOp, body []byte, q url.Values, path map[string]string) (*http.Request, error) {
	switch {
	case body != nil && !op.hasBody():
		return nil, usageErr("%s takes no request body; drop --data", op.ID)
	case body == nil && op.hasBody() && op.Op.RequestBody.Value.Required:
		return nil, usageErr("%s needs a request body: --data JSON, --data @file or --data - (stdin)", op.ID)
	}
	p, err := expandPath(op, path)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimRight(base, "/") + p)
	if err != nil {
		return nil, fmt.Errorf("building the URL of %s: %w", op.ID, err)
	}
	u.RawQuery = q.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, op.Method, u.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("building the request of %s: %w", op.ID, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// uuidPattern accepts any hyphenated GUID: Linnworks' ids are .NET Guids, which need not
// carry RFC 4122 version bits.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// uuidFormat validates format: uuid with a message a user can act on.
var uuidFormat = openapi3.NewCallbackValidator(func(s string) error {
	if !uuidPattern.MatchString(s) {
		return errors.New("want 8-4-4-4-12 hex digits")
	}
	return nil
})

// validateRequest checks req (path parameters, given unescaped in path, query and body;
// not its credentials) against the operation's parameters and request body schema. The body stays readable afterwards.
func validateRequest(ctx context.Context, op *resolvedOp, req *http.Request, path map[string]string) error {
	if path == nil {
		path = map[string]string{}
	}
	input := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: path,
		Route: &routers.Route{
			Spec:      op.Doc,
			Path:      op.Path,
			PathItem:  op.Item,
			Method:    op.Method,
			Operation: op.Op,
		},
		Options: &openapi3filter.Options{
			MultiError:          true,
			SkipSettingDefaults: true,
			// Credentials are attached after validation, by the session source.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{
				openapi3.EnableFormatValidation(),
				openapi3.WithStringFormatValidator("uuid", uuidFormat),
			},
		},
	}
	err := openapi3filter.ValidateRequest(ctx, input)
	if req.GetBody != nil { // restore the body whatever the validator did with it
		if b, gerr := req.GetBody(); gerr == nil {
			req.Body = b
		}
	}
	if err == nil {
		return nil
	}
	problems := describeValidation(err, "")
	if len(problems) == 1 {
		return usageErr("invalid request for %s: %s", op.ID, problems[0])
	}
	return usageErr("invalid request for %s:\n  %s", op.ID, strings.Join(problems, "\n  "))
}

// describeValidation flattens a kin-openapi validation error into one line per problem,
// each naming the parameter or body field at fault.
func describeValidation(err error, where string) []string {
	var out []string
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, inner := range e {
			out = append(out, describeValidation(inner, where)...)
		}
		return dedupe(out)
	case *openapi3filter.RequestError:
		switch {
		case e.Parameter != nil:
			where = fmt.Sprintf("%s parameter %q", e.Parameter.In, e.Parameter.Name)
		case e.RequestBody != nil:
			where = "request body"
		}
		if e.Err == nil {
			return []string{join(where, e.Reason)}
		}
		if errors.Is(e.Err, openapi3filter.ErrInvalidRequired) {
			return []string{join(where, "is required but missing")}
		}
		return describeValidation(e.Err, where)
	case *openapi3.SchemaError:
		if me, ok := e.Origin.(openapi3.MultiError); ok {
			return describeValidation(me, where)
		}
		if ptr := e.JSONPointer(); len(ptr) > 0 {
			where = fmt.Sprintf("%s field %q", where, fieldPath(ptr))
		}
		if e.SchemaField == "required" {
			return []string{join(where, "is required but missing")}
		}
		return []string{join(where, e.Reason)}
	case *openapi3filter.ParseError:
		return []string{join(where, e.Error())}
	case *openapi3filter.SecurityRequirementsError:
		return []string{join(where, "security: "+e.Error())}
	}
	if inner := errors.Unwrap(err); inner != nil {
		if _, ok := inner.(openapi3.MultiError); ok {
			return describeValidation(inner, where)
		}
	}
	return []string{join(where, err.Error())}
}

func join(where, what string) string {
	if where == "" {
		return what
	}
	return where + ": " + what
}

// fieldPath turns a JSON pointer into Go-like notation: ["filters","Items","0","Value"] →
// filters.Items[0].Value.
func fieldPath(ptr []string) string {
	var b strings.Builder
	for _, p := range ptr {
		if p != "" && strings.Trim(p, "0123456789") == "" {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func dedupe(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

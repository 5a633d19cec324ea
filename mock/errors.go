package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// errorBody is Linnworks' error answer.
type errorBody struct {
	Code    *string `json:"Code"`
	Message string  `json:"Message"`
}

// writeError answers status with Linnworks' error body {"Code":null,"Message":msg}.
func writeError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(errorBody{Message: msg}) // cannot fail: a struct of strings
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// authError is what the mock's AuthenticationFunc returns: the request gets a 401.
type authError struct{ reason string }

func (e *authError) Error() string { return e.reason }

// problems flattens an openapi3filter validation error into one line per problem,
// each naming the parameter or field and the rule broken. Values are never quoted:
// they may be secrets.
func problems(err error) []string {
	var out []string
	var walk func(error)
	walk = func(err error) {
		var me openapi3.MultiError
		var re *openapi3filter.RequestError
		var rse *openapi3filter.ResponseError
		var sre *openapi3filter.SecurityRequirementsError
		switch {
		case errors.As(err, &me) && isMulti(err):
			for _, e := range me {
				walk(e)
			}
		case errors.As(err, &sre):
			for _, e := range sre.Errors {
				walk(e)
			}
		case errors.As(err, &re):
			out = append(out, describeRequestErr(re)...)
		case errors.As(err, &rse):
			out = append(out, describeResponseErr(rse)...)
		default:
			out = append(out, describeSchemaErr("", err)...)
		}
	}
	walk(err)
	return out
}

// isMulti reports whether err itself (not something it wraps) is a MultiError.
func isMulti(err error) bool {
	_, ok := err.(openapi3.MultiError)
	return ok
}

func describeRequestErr(re *openapi3filter.RequestError) []string {
	var where string
	switch {
	case re.Parameter != nil:
		where = fmt.Sprintf("parameter %q in %s", re.Parameter.Name, re.Parameter.In)
	case re.RequestBody != nil:
		where = "request body"
	default:
		where = "request"
	}
	if re.Err == nil {
		return []string{where + ": " + re.Reason}
	}
	if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
		return []string{where + ": is required but missing"}
	}
	if errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue) {
		return []string{where + ": must not be empty"}
	}
	var pe *openapi3filter.ParseError
	if errors.As(re.Err, &pe) {
		return []string{where + ": cannot be decoded: " + describeParseErr(pe)}
	}
	return describeSchemaErr(where, re.Err)
}

func describeResponseErr(rse *openapi3filter.ResponseError) []string {
	where := "response"
	if rse.Input != nil {
		where = fmt.Sprintf("response %d", rse.Input.Status)
	}
	if rse.Err == nil {
		return []string{where + ": " + rse.Reason}
	}
	var pe *openapi3filter.ParseError
	if errors.As(rse.Err, &pe) {
		return []string{where + ": body cannot be decoded: " + describeParseErr(pe)}
	}
	return describeSchemaErr(where+" body", rse.Err)
}

func describeParseErr(pe *openapi3filter.ParseError) string {
	var parts []string
	if pe.Reason != "" {
		parts = append(parts, pe.Reason)
	}
	if c := pe.RootCause(); c != nil {
		var ne *strconv.NumError
		if errors.As(c, &ne) {
			parts = append(parts, "not a valid number: "+ne.Err.Error()) // NumError quotes the value
		} else {
			parts = append(parts, c.Error())
		}
	}
	if len(parts) == 0 {
		return "malformed value"
	}
	return strings.Join(parts, ": ")
}

// describeSchemaErr renders schema errors as `where: field "/a/0/b": reason`.
func describeSchemaErr(where string, err error) []string {
	prefix := where
	if prefix != "" {
		prefix += ": "
	}
	var me openapi3.MultiError
	if errors.As(err, &me) && isMulti(err) {
		var out []string
		for _, e := range me {
			out = append(out, describeSchemaErr(where, e)...)
		}
		return out
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		field := ""
		if p := se.JSONPointer(); len(p) > 0 {
			field = fmt.Sprintf("field %q: ", "/"+strings.Join(p, "/"))
		}
		reason := se.Reason
		if se.SchemaField == "enum" && len(se.Schema.Enum) > maxListedEnum {
			reason = fmt.Sprintf("value is not one of the %d allowed values (%s, …)", len(se.Schema.Enum), listEnum(se.Schema.Enum[:maxListedEnum]))
		}
		if reason == "" {
			reason = "breaks the " + se.SchemaField + " rule"
		}
		return []string{prefix + field + reason}
	}
	return []string{prefix + err.Error()}
}

// maxListedEnum is how many allowed values a message lists before it elides the rest.
const maxListedEnum = 8

func listEnum(values []any) string {
	parts := make([]string, len(values))
	for i, v := range values {
		b, _ := json.Marshal(v)
		parts[i] = string(b)
	}
	return strings.Join(parts, ", ")
}

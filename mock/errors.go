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

// violation is one problem a validation error reports.
type violation struct {
	field string // the parameter's name, or the body field ("Items[0].Sku"); "" for the request or body as a whole
	rule  string // the rule broken, without the field
	text  string // the whole line: where, field and rule
}

// problems flattens an openapi3filter validation error into one line per problem,
// each naming the parameter or field and the rule broken. Values are never quoted:
// they may be secrets.
func problems(err error) []string {
	vs := violations(err)
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.text
	}
	return out
}

// violations is problems with each problem's field and rule kept apart too.
func violations(err error) []violation {
	var out []violation
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
			out = append(out, describeSchemaErr("", "", false, err)...)
		}
	}
	walk(err)
	return out
}

// byField groups violations by field, as the errors member of a validation
// problem document: {"field": ["rule", ...]}.
func byField(vs []violation) map[string][]string {
	if len(vs) == 0 {
		return nil
	}
	out := make(map[string][]string, len(vs))
	for _, v := range vs {
		out[v.field] = append(out[v.field], v.rule)
	}
	return out
}

// isMulti reports whether err itself (not something it wraps) is a MultiError.
func isMulti(err error) bool {
	_, ok := err.(openapi3.MultiError)
	return ok
}

func describeRequestErr(re *openapi3filter.RequestError) []violation {
	var where, field string
	inBody := false
	switch {
	case re.Parameter != nil:
		where = fmt.Sprintf("parameter %q in %s", re.Parameter.Name, re.Parameter.In)
		field = re.Parameter.Name
	case re.RequestBody != nil:
		where = "request body"
		inBody = true
	default:
		where = "request"
	}
	one := func(rule string) []violation {
		return []violation{{field: field, rule: rule, text: where + ": " + rule}}
	}
	if re.Err == nil {
		return one(re.Reason)
	}
	if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
		return one("is required but missing")
	}
	if errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue) {
		return one("must not be empty")
	}
	var pe *openapi3filter.ParseError
	if errors.As(re.Err, &pe) {
		return one("cannot be decoded: " + describeParseErr(pe))
	}
	return describeSchemaErr(where, field, inBody, re.Err)
}

func describeResponseErr(rse *openapi3filter.ResponseError) []violation {
	where := "response"
	if rse.Input != nil {
		where = fmt.Sprintf("response %d", rse.Input.Status)
	}
	if rse.Err == nil {
		return []violation{{rule: rse.Reason, text: where + ": " + rse.Reason}}
	}
	var pe *openapi3filter.ParseError
	if errors.As(rse.Err, &pe) {
		rule := "body cannot be decoded: " + describeParseErr(pe)
		return []violation{{rule: rule, text: where + ": " + rule}}
	}
	return describeSchemaErr(where+" body", "", true, rse.Err)
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

// describeSchemaErr renders schema errors as `where: field "/a/0/b": reason`. field
// is the violations' field (a parameter's name); in a body (inBody) it is the
// field the error points at instead, "a[0].b".
func describeSchemaErr(where, field string, inBody bool, err error) []violation {
	prefix := where
	if prefix != "" {
		prefix += ": "
	}
	var me openapi3.MultiError
	if errors.As(err, &me) && isMulti(err) {
		var out []violation
		for _, e := range me {
			out = append(out, describeSchemaErr(where, field, inBody, e)...)
		}
		return out
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		pointer := ""
		p := se.JSONPointer()
		if len(p) > 0 {
			pointer = fmt.Sprintf("field %q: ", "/"+strings.Join(p, "/"))
			if inBody {
				field = fieldPath(p)
			}
		}
		reason := se.Reason
		if se.SchemaField == "enum" && len(se.Schema.Enum) > maxListedEnum {
			reason = fmt.Sprintf("value is not one of the %d allowed values (%s, …)", len(se.Schema.Enum), listEnum(se.Schema.Enum[:maxListedEnum]))
		}
		if reason == "" {
			reason = "breaks the " + se.SchemaField + " rule"
		}
		return []violation{{field: field, rule: reason, text: prefix + pointer + reason}}
	}
	return []violation{{field: field, rule: err.Error(), text: prefix + err.Error()}}
}

// fieldPath renders a JSON pointer's segments the way ASP.NET names a body field
// in a validation problem: "Items[0].Sku".
func fieldPath(segments []string) string {
	var b strings.Builder
	for _, s := range segments {
		if _, err := strconv.Atoi(s); err == nil {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
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

package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// ProblemContentType is the media type of an RFC 9457 problem document, the error
// answer of the REST services.
const ProblemContentType = "application/problem+json"

// Problem is an RFC 9457 (formerly 7807) problem document, the error body of the
// REST services; with Errors it is ASP.NET's validation problem
// (HttpValidationProblemDetails). The mock answers its own errors on the REST
// services with one. A StubFunc that returns a Problem or *Problem as its body
// sends it as application/problem+json, with Status set to the answer's status
// when it is 0.
type Problem struct {
	Type     string              `json:"type,omitempty"`     // a URI naming the kind of problem
	Title    string              `json:"title,omitempty"`    // a short summary of the kind of problem
	Status   int                 `json:"status,omitempty"`   // the HTTP status (0: the answer's status)
	Detail   string              `json:"detail,omitempty"`   // what went wrong with this request
	Instance string              `json:"instance,omitempty"` // a URI naming this occurrence
	Errors   map[string][]string `json:"errors,omitempty"`   // validation problems by parameter or field
}

// typedBody is a stub's body with its own Content-Type (Respond).
type typedBody struct {
	contentType string
	body        any
}

// Respond is a StubFunc's answer with another Content-Type than application/json:
// `return mock.Respond(400, mock.ProblemContentType, body)`. body is encoded as a
// StubFunc's body is (json.Marshal, except []byte and json.RawMessage, sent as they
// are); only the Content-Type differs. The answer is validated against the
// document like any other, so the operation must declare contentType for status.
// An empty contentType means application/json.
func Respond(status int, contentType string, body any) (int, any) {
	return status, typedBody{contentType: contentType, body: body}
}

// problemTypes are the type URIs ASP.NET Core gives its problem documents per status.
var problemTypes = map[int]string{
	http.StatusBadRequest:           "https://tools.ietf.org/html/rfc9110#section-15.5.1",
	http.StatusUnauthorized:         "https://tools.ietf.org/html/rfc9110#section-15.5.2",
	http.StatusForbidden:            "https://tools.ietf.org/html/rfc9110#section-15.5.4",
	http.StatusNotFound:             "https://tools.ietf.org/html/rfc9110#section-15.5.5",
	http.StatusMethodNotAllowed:     "https://tools.ietf.org/html/rfc9110#section-15.5.6",
	http.StatusConflict:             "https://tools.ietf.org/html/rfc9110#section-15.5.10",
	http.StatusUnprocessableEntity:  "https://tools.ietf.org/html/rfc9110#section-15.5.21",
	http.StatusTooManyRequests:      "https://tools.ietf.org/html/rfc6585#section-4",
	http.StatusInternalServerError:  "https://tools.ietf.org/html/rfc9110#section-15.6.1",
	http.StatusBadGateway:           "https://tools.ietf.org/html/rfc9110#section-15.6.3",
	http.StatusServiceUnavailable:   "https://tools.ietf.org/html/rfc9110#section-15.6.4",
	http.StatusGatewayTimeout:       "https://tools.ietf.org/html/rfc9110#section-15.6.5",
	http.StatusRequestTimeout:       "https://tools.ietf.org/html/rfc9110#section-15.5.9",
	http.StatusUnsupportedMediaType: "https://tools.ietf.org/html/rfc9110#section-15.5.16",
}

// validationTitle is ASP.NET's title of a validation problem.
const validationTitle = "One or more validation errors occurred."

// failure is an error answer of the mock itself (not of a stub).
type failure struct {
	status     int
	detail     string
	fields     map[string][]string // validation problems by parameter or field
	retryAfter int                 // seconds; 0: no Retry-After
}

// problem is the problem document of f.
func (f failure) problem() Problem {
	p := Problem{Type: problemTypes[f.status], Title: http.StatusText(f.status), Status: f.status, Detail: f.detail, Errors: f.fields}
	if len(f.fields) > 0 {
		p.Title = validationTitle
	}
	return p
}

// writeFailure answers f: with Linnworks' {"Code":null,"Message":detail} on the
// classic API, with a problem document (application/problem+json) on the REST
// services (rest). When the request was routed (in != nil) and the operation
// declares f's status, the problem document is validated like every answer; one
// that breaks the document becomes a 500 stating the violation.
func (s *spec) writeFailure(ctx context.Context, w http.ResponseWriter, rest bool, in *openapi3filter.RequestValidationInput, f failure) {
	if f.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.retryAfter))
	}
	if !rest {
		writeError(w, f.status, f.detail)
		return
	}
	body, _ := json.Marshal(f.problem()) // cannot fail: strings and maps of strings
	if in != nil && in.Route != nil && declares(in.Route.Operation, f.status) {
		if err := validateAnswer(ctx, in, f.status, ProblemContentType, body); err != nil {
			w.Header().Del("Retry-After")
			f = failure{status: http.StatusInternalServerError,
				detail: fmt.Sprintf("%s: the mock's error answer %d breaks the API description: %s",
					in.Route.Operation.OperationID, f.status, strings.Join(problems(err), "; "))}
			body, _ = json.Marshal(f.problem())
		}
	}
	writeProblem(w, f.status, body)
}

// writeProblem sends a problem document.
func writeProblem(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", ProblemContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// declares reports whether op documents status (or a default answer).
func declares(op *openapi3.Operation, status int) bool {
	return op.Responses != nil && (op.Responses.Status(status) != nil || op.Responses.Default() != nil)
}

// validateAnswer checks one answer (status, Content-Type, body) of the operation of
// in against the document.
func validateAnswer(ctx context.Context, in *openapi3filter.RequestValidationInput, status int, contentType string, body []byte) error {
	header := http.Header{}
	if contentType != "" {
		header.Set("Content-Type", checkedContentType(in.Route.Operation, status, contentType))
	}
	rin := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Options:                in.Options,
	}
	rin.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(ctx, rin)
}

// checkedContentType is the Content-Type under which an answer is checked: its
// own, except that a problem document answering a status the operation declares
// with application/json only (no problem+json) is checked against that schema.
// The ASP.NET Core services answer their errors as application/problem+json
// whatever their document says; the warehouse transfer documents declare their
// ProblemDetails under application/json.
func checkedContentType(op *openapi3.Operation, status int, contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt != ProblemContentType || op.Responses == nil {
		return contentType
	}
	resp := op.Responses.Status(status)
	if resp == nil {
		resp = op.Responses.Default()
	}
	if resp == nil || resp.Value == nil || len(resp.Value.Content) == 0 ||
		resp.Value.Content.Get(contentType) != nil || resp.Value.Content.Get("application/json") == nil {
		return contentType
	}
	return "application/json"
}

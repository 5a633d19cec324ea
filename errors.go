package linnworks

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/internal/opindex"
)

// Sentinel errors for errors.Is on an *APIError (and on any error wrapping one).
var (
	// ErrRateLimited matches an answer 429, or any answer whose message is
	// Linnworks' "API calls quota exceeded".
	ErrRateLimited = errors.New("linnworks: rate limited")
	// ErrUnauthorized matches an answer 401: the session was refused even after
	// the client re-authorized once.
	ErrUnauthorized = errors.New("linnworks: unauthorized")
	// ErrNotFound matches an answer 404.
	ErrNotFound = errors.New("linnworks: not found")
)

// maxMessage bounds the length of APIError.Message taken from a body that is
// not Linnworks' JSON error (a plain-text, HTML or XML page).
const maxMessage = 300

// APIError is an answer of Linnworks that is not a success: a status outside
// 2xx, or a body that claims to be JSON and is not. Code and Message come from
// Linnworks' {"Code","Message"} body when there is one; for the problem
// documents of the REST services (RFC 9457, application/problem+json) Message
// is the detail, else the title, followed by the field errors of a validation
// problem; otherwise Message is the text of the body (the title of an HTML
// page, the Message element or the text of an XML one, the start of a
// plain-text one), or empty.
//
// Nothing of the request is copied into an APIError: the session token cannot
// appear in it (and would be redacted from Message and Body if Linnworks
// echoed it back).
type APIError struct {
	// Operation is the operationId of the call (e.g. Orders_GetOpenOrders, or
	// ordersv2.Orders_GetOrders for a REST service), or "METHOD /path" for a
	// request outside the documents, or "" when the response carries no request.
	Operation string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is Linnworks' error code, often empty.
	Code string
	// Message is Linnworks' explanation, see above.
	Message string
	// Body is the raw body of the answer.
	Body []byte
	// RetryAfter is the wait the answer asked for in its Retry-After header
	// (seconds or an HTTP date), or 0.
	RetryAfter time.Duration
	// Err is the underlying problem when the body could not be read or decoded, else nil.
	Err error
}

// Error describes the answer: operation, status and message.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("linnworks: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	b.WriteString("HTTP ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" ")
		b.WriteString(t)
	}
	if e.Code != "" {
		b.WriteString(" (code ")
		b.WriteString(e.Code)
		b.WriteString(")")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is reports whether the answer is one that target names: ErrRateLimited,
// ErrUnauthorized or ErrNotFound.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests || isQuotaMessage(e.Message)
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	}
	return false
}

// Unwrap returns Err.
func (e *APIError) Unwrap() error { return e.Err }

// isQuotaMessage reports whether msg is Linnworks' "API calls quota exceeded"
// message, which it has been seen to send with statuses other than 429.
func isQuotaMessage(msg string) bool {
	const quota = "quota exceeded"
	for i := 0; i+len(quota) <= len(msg); i++ {
		if strings.EqualFold(msg[i:i+len(quota)], quota) {
			return true
		}
	}
	return false
}

// Response is what every generated response type (*gen.XxxResponse) offers.
type Response interface {
	// StatusCode is the HTTP status of the answer (0 when there is none).
	StatusCode() int
	// GetBody is the raw body of the answer.
	GetBody() []byte
}

// CheckResponse returns nil for a 2xx answer and an *APIError for any other,
// built from the status, headers and raw body of resp (any *gen.XxxResponse).
// A nil resp is an error too.
func CheckResponse(resp Response) error {
	if resp == nil {
		return errors.New("linnworks: CheckResponse: nil response")
	}
	v := reflect.ValueOf(resp)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return fmt.Errorf("linnworks: CheckResponse: nil %T", resp)
		}
		v = v.Elem()
	}
	status := resp.StatusCode() // the generated types answer 0 without an HTTP response
	if status >= 200 && status <= 299 {
		return nil
	}
	var hr *http.Response
	if v.Kind() == reflect.Struct {
		if f := v.FieldByName("HTTPResponse"); f.IsValid() {
			hr, _ = f.Interface().(*http.Response)
		}
	}
	if hr == nil && status == 0 {
		return fmt.Errorf("linnworks: CheckResponse: %T holds no HTTP response", resp)
	}
	return newAPIError(hr, status, resp.GetBody(), nil)
}

// CheckHTTPResponse is CheckResponse for a plain *http.Response whose body the
// caller has read into body (resp.Body is not read).
func CheckHTTPResponse(resp *http.Response, body []byte) error {
	if resp == nil {
		return errors.New("linnworks: CheckHTTPResponse: nil response")
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	return newAPIError(resp, resp.StatusCode, body, nil)
}

// Result returns the generated response and error of a call, with the error
// an *APIError when the answer is not a 2xx:
//
//	resp, err := linnworks.Result(client.OrdersGetOpenOrdersWithResponse(ctx, req))
//
// An err from the call is returned as it is (for an answer that could not be
// decoded it is already an *APIError, see NewClient).
func Result[R Response](resp R, err error) (R, error) {
	if err != nil {
		return resp, err
	}
	return resp, CheckResponse(resp)
}

// newAPIError builds the error of an answer; hr may be nil.
func newAPIError(hr *http.Response, status int, body []byte, cause error) *APIError {
	e := &APIError{StatusCode: status, Body: body, Err: cause}
	var ct, token string
	if hr != nil {
		ct = hr.Header.Get("Content-Type")
		e.RetryAfter, _ = parseRetryAfter(hr.Header.Get("Retry-After"), time.Now())
		if req := hr.Request; req != nil && req.URL != nil {
			e.Operation = operationName(req.Method, req.URL.EscapedPath())
			token = req.Header.Get("Authorization")
		}
	}
	e.Code, e.Message = describeBody(ct, body)
	if len(token) >= 8 { // never echo the session token, even if Linnworks does
		e.Body = redact(e.Body, token)
		e.Code = string(redact([]byte(e.Code), token))
		e.Message = string(redact([]byte(e.Message), token))
	}
	return e
}

// operationName is the operationId of a request, or "METHOD path".
func operationName(method, path string) string {
	if idx, err := opindex.All(); err == nil {
		if op := idx.Lookup(method, path); op != nil {
			return op.ID
		}
	}
	if method == "" {
		method = http.MethodGet
	}
	return method + " " + path
}

// redact replaces every occurrence of secret in b (returning a copy when there is one).
func redact(b []byte, secret string) []byte {
	if !bytes.Contains(b, []byte(secret)) {
		return b
	}
	return bytes.ReplaceAll(b, []byte(secret), []byte("[redacted]"))
}

// describeBody finds Linnworks' code and message in an error body of any shape.
func describeBody(contentType string, body []byte) (code, msg string) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return "", ""
	}
	switch b[0] {
	case '{':
		var lw struct {
			Code    *string
			Message *string
			// RFC 9457 problem document (application/problem+json), the errors of the REST services.
			Title  *string          `json:"title"`
			Detail *string          `json:"detail"`
			Errors *json.RawMessage `json:"errors"`
		}
		if err := json.Unmarshal(b, &lw); err == nil {
			if lw.Code != nil {
				code = *lw.Code
			}
			if lw.Message != nil {
				return code, clip(*lw.Message)
			}
			if m := problemMessage(deref(lw.Title), deref(lw.Detail), lw.Errors); m != "" {
				return code, clip(m)
			}
		}
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err == nil {
			return "", clip(s)
		}
	case '<':
		if strings.Contains(strings.ToLower(contentType), "html") || looksLikeHTML(b) {
			return "", htmlText(b)
		}
		return "", xmlText(b)
	}
	return code, clip(string(b))
}

// problemMessage is the message of a problem document: its detail, else its
// title, followed by the validation errors of an ASP.NET validation problem
// ("errors": {"field": ["message", ...]}) sorted by field.
func problemMessage(title, detail string, errs *json.RawMessage) string {
	msg := strings.TrimSpace(detail)
	if msg == "" {
		msg = strings.TrimSpace(title)
	}
	var fields map[string][]string
	if errs == nil || json.Unmarshal(*errs, &fields) != nil || len(fields) == 0 {
		return msg
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(msg)
	for i, name := range names {
		switch {
		case i > 0:
			b.WriteString("; ")
		case strings.HasSuffix(msg, ".") || strings.HasSuffix(msg, ":"):
			b.WriteString(" ")
		case msg != "":
			b.WriteString(": ")
		}
		if name != "" {
			b.WriteString(name)
			b.WriteString(": ")
		}
		b.WriteString(strings.Join(fields[name], " "))
	}
	return b.String()
}

func looksLikeHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 512)]))
	return strings.Contains(head, "<html") || strings.Contains(head, "<!doctype html")
}

// htmlText is the title of an HTML page, else its text.
func htmlText(b []byte) string {
	lower := bytes.ToLower(b)
	if i := bytes.Index(lower, []byte("<title")); i >= 0 {
		if j := bytes.IndexByte(lower[i:], '>'); j >= 0 {
			start := i + j + 1
			if end := bytes.Index(lower[start:], []byte("</title")); end >= 0 {
				if t := clip(string(b[start : start+end])); t != "" {
					return t
				}
			}
		}
	}
	return clip(stripTags(b))
}

// xmlText is the text of the first element named Message (any namespace, any
// case) of an XML body, else all its text.
func xmlText(b []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	var all strings.Builder
	inMessage := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			inMessage = strings.EqualFold(t.Name.Local, "Message")
		case xml.EndElement:
			inMessage = false
		case xml.CharData:
			if inMessage {
				if s := clip(string(t)); s != "" {
					return s
				}
			}
			all.Write(t)
			all.WriteByte(' ')
		}
	}
	if s := clip(all.String()); s != "" {
		return s
	}
	return clip(stripTags(b))
}

// stripTags replaces <...> markup with spaces.
func stripTags(b []byte) string {
	var out strings.Builder
	in := false
	for _, c := range b {
		switch {
		case c == '<':
			in = true
			out.WriteByte(' ')
		case c == '>':
			in = false
		case !in:
			out.WriteByte(c)
		}
	}
	return out.String()
}

// clip collapses white space and cuts s to maxMessage bytes at a rune boundary.
func clip(s string) string {
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date
// (relative to now). ok is false when the value is absent or malformed.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// guardDoer makes answers the generated parsers would choke on into answers
// they read or errors that keep the status and body (see NewClient).
type guardDoer struct {
	next gen.HttpRequestDoer
}

func (d *guardDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.next.Do(req)
	if err != nil || resp == nil || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, newAPIError(resp, resp.StatusCode, body, fmt.Errorf("reading the response body: %w", err))
	}
	if len(bytes.TrimSpace(body)) == 0 {
		// An empty body has no media type: without one the generated parser
		// leaves the JSON fields nil instead of failing on "unexpected end of JSON input".
		resp.Header.Del("Content-Type")
		resp.Body = http.NoBody
		resp.ContentLength = 0
		return resp, nil
	}
	if !json.Valid(body) {
		var raw json.RawMessage
		cause := json.Unmarshal(body, &raw)
		if cause == nil {
			cause = errors.New("invalid JSON")
		}
		return nil, newAPIError(resp, resp.StatusCode, body, fmt.Errorf("the %s body is not valid JSON: %w", resp.Header.Get("Content-Type"), cause))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

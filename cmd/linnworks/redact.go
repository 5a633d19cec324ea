package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// sessionSecretFields are the fields of an authorization answer (BaseSession) that give
// access to the account: call prints them redacted unless --show-token.
var sessionSecretFields = []string{"Token", "AccessToken", "DatabasePassword", "Md5Hash"}

const redactedValue = "[redacted]"

// redactJSON replaces the non-null values of the named fields (ignoring case, at any
// depth) with "[redacted]", keeping everything else and the field order. It reports
// whether anything was replaced.
func redactJSON(body []byte, fields []string) ([]byte, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	r := &redactor{dec: dec, fields: fields}
	if err := r.value(); err != nil {
		return nil, false, err
	}
	return r.out.Bytes(), r.changed, nil
}

type redactor struct {
	dec     *json.Decoder
	fields  []string
	out     bytes.Buffer
	changed bool
}

func (r *redactor) secret(key string) bool {
	for _, f := range r.fields {
		if strings.EqualFold(f, key) {
			return true
		}
	}
	return false
}

func (r *redactor) value() error {
	tok, err := r.dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			r.out.WriteByte('{')
			for i := 0; r.dec.More(); i++ {
				kt, err := r.dec.Token()
				if err != nil {
					return err
				}
				key, ok := kt.(string)
				if !ok {
					return errors.New("object key is not a string")
				}
				if i > 0 {
					r.out.WriteByte(',')
				}
				r.str(key)
				r.out.WriteByte(':')
				if r.secret(key) {
					var raw json.RawMessage
					if err := r.dec.Decode(&raw); err != nil {
						return err
					}
					if string(raw) == "null" {
						r.out.WriteString("null")
					} else {
						r.str(redactedValue)
						r.changed = true
					}
					continue
				}
				if err := r.value(); err != nil {
					return err
				}
			}
		case '[':
			r.out.WriteByte('[')
			for i := 0; r.dec.More(); i++ {
				if i > 0 {
					r.out.WriteByte(',')
				}
				if err := r.value(); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("unexpected %v", t)
		}
		end, err := r.dec.Token() // the closing delimiter
		if err != nil {
			return err
		}
		r.out.WriteString(end.(json.Delim).String())
	case string:
		r.str(t)
	case json.Number:
		r.out.WriteString(t.String())
	case bool:
		fmt.Fprint(&r.out, t)
	case nil:
		r.out.WriteString("null")
	}
	return nil
}

// str writes s as a JSON string without HTML escaping (the body is printed, not embedded).
func (r *redactor) str(s string) {
	enc := json.NewEncoder(&r.out)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	r.out.Truncate(r.out.Len() - 1) // Encode adds a newline
}

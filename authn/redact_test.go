package authn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%T"}

func TestSecretsNeverPrinted(t *testing.T) {
	f := newFake(t)
	var logs bytes.Buffer
	src := f.source(WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	sess, err := src.Session(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	src.Invalidate(sess.Token) // logs the invalidation
	if _, err := src.Session(t.Context()); err != nil {
		t.Fatal(err)
	}
	creds := testCreds()
	values := map[string]any{
		"Credentials":  creds,
		"*Credentials": &creds,
		"Session":      sess,
		"*Session":     &sess,
		"*Source":      src,
		"in a struct": struct {
			C   Credentials
			S   Session
			Src *Source
		}{creds, sess, src},
		"in a slice": []any{creds, sess, src},
		"in a map":   map[string]Session{"s": sess},
	}
	for name, v := range values {
		for _, verb := range verbs {
			f.assertNoSecret(name+" "+verb, fmt.Sprintf(verb, v))
		}
		f.assertNoSecret(name+" Sprint", fmt.Sprint(v))
		f.assertNoSecret(name+" Sprintln", fmt.Sprintln(v))
		if b, err := json.Marshal(v); err != nil {
			t.Errorf("json.Marshal(%s): %v", name, err)
		} else {
			f.assertNoSecret(name+" json", string(b))
		}
		for hname, h := range map[string]func(*bytes.Buffer) slog.Handler{
			"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		} {
			var buf bytes.Buffer
			slog.New(h(&buf)).Info("value", "v", v)
			f.assertNoSecret(name+" slog "+hname, buf.String())
			if !strings.Contains(buf.String(), "v") {
				t.Fatalf("nothing logged")
			}
		}
	}
	f.assertNoSecret("the Source's own log", logs.String())
	if !strings.Contains(logs.String(), `"msg":"authn: authorized"`) || !strings.Contains(logs.String(), euServer) {
		t.Errorf("the Source's log lacks the authorization: %s", logs.String())
	}
	// The redacted forms still say what the values are.
	for _, tt := range []struct{ got, want string }{
		{fmt.Sprint(creds), "authn.Credentials{ApplicationID: " + testAppID + ", ApplicationSecret: [REDACTED], Token: [REDACTED]}"},
		{fmt.Sprintf("%#v", creds), `authn.Credentials{ApplicationID:"` + testAppID + `", ApplicationSecret:"[REDACTED]", Token:"[REDACTED]"}`},
		{fmt.Sprintf("%q", sess), `"authn.Session{Server: ` + euServer + `, Locality: EU, Token: [REDACTED]}"`},
		{fmt.Sprint(src), "authn.Source{ApplicationID: " + testAppID + ", AuthServer: " + DefaultAuthServer + ", Session: " + euServer + "}"},
		{fmt.Sprint(Session{}), "authn.Session{}"},
		{fmt.Sprint((*Source)(nil)), "authn.Source{}"},
	} {
		if tt.got != tt.want {
			t.Errorf("got  %s\nwant %s", tt.got, tt.want)
		}
	}
}

func TestMisplacedSecretIsNotShownAsApplicationID(t *testing.T) {
	c := testCreds()
	c.ApplicationID = "my-secret-pasted-here"
	for _, verb := range verbs {
		if s := fmt.Sprintf(verb, c); strings.Contains(s, "my-secret") {
			t.Errorf("%s prints a malformed ApplicationID: %s", verb, s)
		}
	}
}

func TestFailureLogsHaveNoSecrets(t *testing.T) {
	f := newFake(t)
	f.authStatus = 400
	f.authBody = `{"Code":"` + testToken + `","Message":"token ` + strings.ToUpper(testToken) + ` and secret ` + testSecret + ` refused"}`
	var logs bytes.Buffer
	src := f.source(WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	_, err := src.Session(t.Context())
	if err == nil {
		t.Fatal("want an error")
	}
	f.assertNoSecret("error", err.Error())
	f.assertNoSecret("error %+v", fmt.Sprintf("%+v", err))
	f.assertNoSecret("log", logs.String())
	if !strings.Contains(logs.String(), "authorization failed") || !strings.Contains(err.Error(), "token [REDACTED] and secret [REDACTED] refused") {
		t.Errorf("error %q / log %q", err, logs.String())
	}
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/linnworks-go/linnworks"
	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/mock"
)

// Environment variables read by auth and call.
const (
	envApplicationID     = "LINNWORKS_APPLICATION_ID"
	envApplicationSecret = "LINNWORKS_APPLICATION_SECRET"
	envToken             = "LINNWORKS_TOKEN"
	envAuthServer        = "LINNWORKS_AUTH_SERVER"
)

// credFlags are the flags that override the credential variables. There is deliberately
// no flag for the application secret: it would land in shell history.
type credFlags struct {
	applicationID string
	token         string
	authServer    string
	noRetry       bool
}

func (f *credFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.applicationID, "application-id", "", "application id (default $"+envApplicationID+")")
	fs.StringVar(&f.token, "token", "", "installation token (default $"+envToken+"); visible in shell history, prefer the variable")
	fs.StringVar(&f.authServer, "auth-server", "", "authorization server base URL (default $"+envAuthServer+", else https://api.linnworks.net)")
	fs.BoolVar(&f.noRetry, "no-retry", false, "fail at the first 429 or 5xx instead of waiting and retrying (a 401 still re-authorizes once)")
}

// backend is where auth and call send requests: the client package linnworks builds for
// a Go service (linnworks.NewClientWithSource), so the CLI exercises the very same
// pipeline: session editor, User-Agent, 401-retrying doer, HTTP client.
type backend struct {
	creds  authn.Credentials
	src    *authn.Source
	client *gen.Client
}

// newBackend resolves the credentials (flags over environment) and builds the client.
// With no credentials at all it uses an in-process mock and says so on stderr; with
// some but not all it is a usage error naming what is missing. No network is used.
func newBackend(s *streams, f *credFlags) (*backend, error) {
	creds := authn.Credentials{
		ApplicationID:     firstNonEmpty(f.applicationID, s.getenv(envApplicationID)),
		ApplicationSecret: s.getenv(envApplicationSecret),
		Token:             firstNonEmpty(f.token, s.getenv(envToken)),
	}
	authServer := firstNonEmpty(f.authServer, s.getenv(envAuthServer))
	if f.token != "" {
		fmt.Fprintf(s.stderr, "linnworks: warning: --token is visible in shell history and process lists; prefer %s\n", envToken)
	}

	var opts []linnworks.Option
	if f.noRetry {
		opts = append(opts, linnworks.WithoutRetry())
	}
	switch {
	case creds.ApplicationID == "" && creds.ApplicationSecret == "" && creds.Token == "":
		if authServer != "" {
			return nil, usageErr("an authorization server is set (%s or --auth-server) but no credentials: set %s, %s and %s",
				envAuthServer, envApplicationID, envApplicationSecret, envToken)
		}
		m := mock.New()
		creds = m.Credentials()
		opts = append(opts, linnworks.WithHTTPClient(m.Client()))
		fmt.Fprintf(s.stderr, "linnworks: no credentials set (%s, %s, %s): using the in-process mock\n",
			envApplicationID, envApplicationSecret, envToken)
	default:
		var missing []string
		if creds.ApplicationID == "" {
			missing = append(missing, envApplicationID+" (or --application-id)")
		}
		if creds.ApplicationSecret == "" {
			missing = append(missing, envApplicationSecret)
		}
		if creds.Token == "" {
			missing = append(missing, envToken+" (or --token)")
		}
		if len(missing) > 0 {
			return nil, usageErr("missing credentials: set %s (or none of the three to use the in-process mock)", strings.Join(missing, " and "))
		}
		if authServer != "" {
			u, err := checkAuthServer(authServer)
			if err != nil {
				return nil, err
			}
			opts = append(opts,
				linnworks.WithAuthServer(strings.TrimRight(u.String(), "/")),
				linnworks.WithSourceOptions(authn.WithTrustedServer(trustAlso(u))))
		}
	}

	client, src, err := linnworks.NewClientWithSource(creds, opts...)
	if err != nil {
		return nil, usageErr("%w", err)
	}
	gc, ok := client.ClientInterface.(*gen.Client)
	if !ok {
		return nil, fmt.Errorf("linnworks.NewClientWithSource returned a %T, want a *gen.Client inside", client.ClientInterface)
	}
	return &backend{creds: creds, src: src, client: gc}, nil
}

// checkAuthServer accepts an https URL, or plain http to this machine only (a local
// `linnworks mock`): credentials must not cross a network in clear text.
func checkAuthServer(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return nil, usageErr("auth server %q: want a base URL like https://api.linnworks.net or http://127.0.0.1:8080", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, usageErr("auth server %q: plain http only to this machine (localhost, 127.0.0.1, ::1); use https", raw)
		}
	default:
		return nil, usageErr("auth server %q: scheme must be https (or http on this machine)", raw)
	}
	u.Path = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// trustAlso extends the default trust check (https on linnworks.net) to the chosen auth
// server's own scheme and host, where a mock also serves the sessions it issues.
func trustAlso(auth *url.URL) func(*url.URL) bool {
	return func(u *url.URL) bool {
		if authn.IsLinnworksServer(u) {
			return true
		}
		return u != nil && u.User == nil && strings.EqualFold(u.Scheme, auth.Scheme) && strings.EqualFold(u.Host, auth.Host)
	}
}

// send sends a request built for any operation the way the generated client sends its
// own: against the client's Server (the Auth host), through its request editors (the
// session editor leaves the Auth operations alone and routes the others to the
// session's Server, or a REST service's to the session's regional host), then its
// doer (which re-authorizes and retries once on 401).
func (b *backend) send(ctx context.Context, req *http.Request) (*http.Response, error) {
	base, err := url.Parse(b.client.Server)
	if err != nil {
		return nil, fmt.Errorf("server %q: %w", b.client.Server, err)
	}
	// A REST service call keeps its regional host when the client talks to Linnworks
	// (authn sends it to the session's region); against another auth server (a mock
	// served over HTTP) it goes there like the rest, under its /v1 or /v2 prefix.
	if !authn.IsRegionalHost(req.URL.Host) || !authn.IsLinnworksServer(base) {
		req.URL.Scheme, req.URL.Host = base.Scheme, base.Host
	}
	req.Host = ""
	for _, edit := range b.client.RequestEditors {
		if err := edit(ctx, req); err != nil {
			return nil, err
		}
	}
	return b.client.Client.Do(req)
}

// scrub returns err's message with every secret of this call replaced: the application
// secret, the installation token and the session token the request carried. Linnworks'
// messages are not expected to echo them, but an error must never print one.
func (b *backend) scrub(req *http.Request, err error) error {
	msg := err.Error()
	for _, secret := range []string{b.creds.ApplicationSecret, b.creds.Token, req.Header.Get("Authorization")} {
		msg = replaceFold(msg, secret, redactedValue)
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// replaceFold replaces every occurrence of old in s, ignoring case (UUIDs travel in
// either case). An empty old changes nothing.
func replaceFold(s, old, repl string) string {
	if old == "" {
		return s
	}
	var b strings.Builder
	lowS, lowOld := strings.ToLower(s), strings.ToLower(old)
	if len(lowS) != len(s) || len(lowOld) != len(old) { // non-ASCII case mapping: exact match only
		return strings.ReplaceAll(s, old, repl)
	}
	for {
		i := strings.Index(lowS, lowOld)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lowS = s[i+len(old):], lowS[i+len(old):]
	}
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

package linnworks

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"syscall"
	"testing"

	"github.com/linnworks-go/linnworks/authn"
)

func TestTransient(t *testing.T) {
	urlErr := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://eu-ext.linnworks.net/api/X/Y", Err: err}
	}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), true},
		{"connection cut", urlErr(io.ErrUnexpectedEOF), true},
		{"unknown authority", urlErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), false},
		{"wrong host name", urlErr(x509.HostnameError{Host: "eu-ext.linnworks.net"}), false},
		{"refused authorization", &authn.AuthError{StatusCode: 400, Message: "Invalid application id or application secret"}, false},
		{"other error", errors.New("boom"), false},
	}
	for _, c := range cases {
		if got := transient(c.err); got != c.want {
			t.Errorf("%s: transient = %v, want %v", c.name, got, c.want)
		}
	}
}

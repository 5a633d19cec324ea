package authn

import (
	"fmt"
	"net/url"
	"strings"
)

// RegionalHostSuffix ends the hosts of Linnworks' REST services (orders v2,
// picking v2, warehouse transfer v1/v2): eu-api.linnworks.net, us-api.linnworks.net
// and as-api.linnworks.net. Their generated clients are built with one of these
// hosts (the first server of their document); EditRequest sends each request to the
// one of the session's Locality, keeping the path (and so the /v1/ or /v2/ prefix).
const RegionalHostSuffix = "-api.linnworks.net"

// localities maps a session Locality to the prefix of its regional host.
var localities = map[string]string{"EU": "eu", "US": "us", "AS": "as"}

// IsRegionalHost reports whether host (without port) is one of the regional REST
// hosts, {eu,us,as}-api.linnworks.net, in any letter case.
func IsRegionalHost(host string) bool {
	if len(host) != 2+len(RegionalHostSuffix) || !strings.EqualFold(host[2:], RegionalHostSuffix) {
		return false
	}
	switch strings.ToLower(host[:2]) {
	case "eu", "us", "as":
		return true
	}
	return false
}

// RegionalHost returns the REST services' host for a session Locality (EU, US or
// AS, any case): "eu-api.linnworks.net".
func RegionalHost(locality string) (string, error) {
	p, ok := localities[strings.ToUpper(locality)]
	if !ok {
		if locality == "" {
			return "", fmt.Errorf("authn: the session has no Locality, so the regional host of the REST services is unknown")
		}
		return "", fmt.Errorf("authn: the session's Locality %q is not EU, US or AS, so the regional host of the REST services is unknown", locality)
	}
	return p + RegionalHostSuffix, nil
}

// regionalHost is RegionalHost checked against the trust rule secrets obey.
func regionalHost(locality string, trusted func(*url.URL) bool) (string, error) {
	host, err := RegionalHost(locality)
	if err != nil {
		return "", err
	}
	if !trusted(&url.URL{Scheme: "https", Host: host}) {
		return "", fmt.Errorf("authn: the regional host https://%s is not trusted (see WithTrustedServer)", host)
	}
	return host, nil
}

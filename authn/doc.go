// Package authn turns Linnworks application credentials into live sessions and
// attaches them to requests made by the generated client (package gen).
//
// A [Source] exchanges [Credentials] (application id, application secret and the
// permanent installation token) for a [Session] with Auth_AuthorizeByApplication,
// keeps it while it is in use and renews it before Linnworks drops it for
// inactivity. Its [Source.EditRequest] is a gen.RequestEditorFn that sets the bare
// Authorization header and routes the request to the session's Server; its
// [Source.Doer] re-authorizes once when Linnworks answers 401.
//
// The three-line setup, given credentials and an *http.Client:
//
//	src, err := authn.NewSource(creds, authn.WithHTTPClient(httpClient))
//	client, err := gen.NewClientWithResponses("https://api.linnworks.net",
//		gen.WithRequestEditorFn(src.EditRequest), gen.WithHTTPClient(src.Doer(httpClient)))
//
// Package linnworks (the module root) wraps exactly this in NewClient.
//
// The same editor and doer serve the REST services' generated clients (gen/ordersv2,
// gen/pickingv2, gen/warehousetransferv1, gen/warehousetransferv2; their option and
// editor types have the same shape): built on any regional server such as
// https://eu-api.linnworks.net/v2/, their requests go to the regional host of the
// session's Locality (eu-, us- or as-api.linnworks.net), path kept:
//
//	orders, err := ordersv2.NewClientWithResponses("https://eu-api.linnworks.net/v2/",
//		ordersv2.WithRequestEditorFn(src.EditRequest), ordersv2.WithHTTPClient(src.Doer(httpClient)))
//
// Guarantees:
//   - Concurrent callers share one authorization, success or failure; each caller
//     stops waiting when its own context ends without failing the others.
//   - A session idle for longer than the idle timeout minus a safety margin is
//     renewed instead of sent; steady traffic keeps one session indefinitely.
//   - The session token is only ever sent to a trusted server (by default https on
//     linnworks.net or a subdomain of it); credentials only to a trusted auth server.
//   - Secrets (application secret, installation token, session token) never appear
//     in errors, log lines or fmt output of Credentials, Session or Source (any
//     verb but %p, which fmt prints without consulting the type).
//   - Nothing runs in the background: a Source needs no Close.
package authn

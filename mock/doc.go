// Package mock is a fake Linnworks API for tests: every request it receives and
// every response it sends is validated against the OpenAPI document embedded in
// package gen, so a client that sends what Linnworks would refuse fails here too.
//
// A Server answers in process through Client (an *http.Client over an in-memory
// transport, no sockets) or over real HTTP through Handler. It issues sessions
// from Auth_AuthorizeByApplication for the Credentials it accepts, expires them
// after an idle timeout, enforces each operation's x-linnworks-rate-limit per
// session, and answers every other operation with a deterministic example
// synthesised from the operation's response schema unless a test stubs it.
//
// Each request goes through these steps, in order:
//
//  1. Route on method and path: unknown path → 404, known path with another method → 405.
//  2. Count the call (Calls).
//  3. Injected delay (DelayNext), honouring the request context and virtual time.
//  4. Injected failure (FailNext): the status is answered at once, without request validation.
//  5. Request validation (security first): a missing, unknown or idle session → 401;
//     any other violation → 400 whose Message (detail) names each parameter or field and the rule.
//  6. Rate limit of the session and operation → 429 with Retry-After.
//  7. The answer: the built-in session issuer for Auth_AuthorizeByApplication, a stub
//     (Stub), or the synthesised example.
//  8. Response validation: an answer that breaks the document becomes a 500 whose
//     Message (detail) states the violation. The synthesised answers are constant: each is
//     built and validated the same way once, on its operation's first call.
//
// The mock's own errors use Linnworks' body {"Code":null,"Message":"..."} on the
// classic API. On the REST services (and on any path under /v1/, /v2/, … or a
// regional host) they are RFC 9457 problem documents, Content-Type
// application/problem+json, as ASP.NET Core sends them: type, title, status and
// detail (the Message the classic API would carry), and for a 400 of request
// validation errors {"parameter or field": ["rule", ...]} (Problem). Where the
// operation declares the status, the problem document is validated like every
// answer; a problem document answering a status declared with application/json
// only (the warehouse transfer documents' ProblemDetails) is checked against that
// schema.
//
// The REST services (orders v2, picking v2, warehouse transfer v1 and v2, one
// generated package each under gen/) are served too, from their own embedded
// documents, with the same steps: Client answers them on the regional hosts
// (https://{eu,us,as}-api.linnworks.net/v1/..., /v2/...), where its sessions
// (Locality EU) are valid on eu-api.linnworks.net only; Handler answers them under
// /v1/ and /v2/ of its own address. The mock names their operations
// ServiceOperation(package, operationId), "ordersv2.Orders_GetOrders", in
// Operations, Calls, Stub, FailNext and DelayNext. Upstream states no rate limit for
// them, so they have no quota unless their document gains x-linnworks-rate-limit.
// Their oneOf schemas (a class and its subclasses, without a discriminator) are
// checked as anyOf: a subclass object also matches its parent.
//
// Details:
//   - The document is parsed and compiled once per process (kin-openapi's legacy
//     router, a path tree; its gorillamux router scans the routes one by one and
//     costs up to hundreds of µs at 700 operations). Routing uses method and path
//     only; Client's transport keeps the classic API off the regional hosts and
//     the REST services off the others.
//   - Validation does not modify the request (no defaults are written into it) and
//     checks format uuid, which kin-openapi leaves unchecked by default. Messages
//     name the parameter or field (as a JSON pointer) and the rule, never a value.
//   - Sessions are bound to the Server they were issued with: Client's sessions
//     answer on SessionServer only, Handler's on the address that authorized them.
//   - Quotas are sliding windows of one minute per session and operation
//     (operations without security share one anonymous quota each). Rejected calls
//     do not count against the quota; Retry-After is the whole seconds until the
//     oldest counted call leaves the window.
//   - Calls counts every request routed to an operation, whatever its answer.
package mock

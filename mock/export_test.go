package mock

import "github.com/getkin/kin-openapi/openapi3"

// SynthRequest exposes the example synthesiser to the external tests: a value
// valid for ref as a request would send it (readOnly properties left out).
func SynthRequest(ref *openapi3.SchemaRef) any { return exampleOf(ref, forRequest) }

// SynthResponse is SynthRequest for responses (writeOnly properties left out).
func SynthResponse(ref *openapi3.SchemaRef) any { return exampleOf(ref, forResponse) }

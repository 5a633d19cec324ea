// Package specsync keeps the project's OpenAPI document (openapi/) in step with
// Linnworks' public Swagger 2.0 specification (LinnSystems/PublicApiSpecs, 1.0 folder).
//
// Import converts each upstream controller file into our form (see Convert and
// openapi/README.md), applies the controller's hand corrections (an OpenAPI Overlay
// 1.0 document in openapi/overlays/) and writes openapi/controllers/<file>.yaml.
// Drift converts upstream again, independently, with kin-openapi's openapi2conv,
// applies the same overlays, and compares the facts (operations, rate limits,
// security, parameters, body and field types) with the bundled document, so that
// the overlays are the only differences allowed.
//
// The REST services (OpenAPI 3 files: 1.0/warehousetransfer-new.json, 2.0/*.json)
// are imported by ImportServices into complete documents under openapi/services/
// (see ConvertService) and compared by DriftServices.
//
// The upstream files are reference data: they are read from a folder given by the
// caller and never embedded or copied into the module.
package specsync

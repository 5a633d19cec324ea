package linnworks

// The document under openapi/ is bundled into gen/openapi.yaml, which oapi-codegen
// compiles into gen/linnworks.gen.go (models, client, embedded spec).
//go:generate go run ./internal/cmd/specbundle -o gen/openapi.yaml openapi
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/oapi-codegen.yaml gen/openapi.yaml

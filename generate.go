package linnworks

// The document under openapi/ is bundled into gen/openapi.yaml, which oapi-codegen
// compiles into gen/linnworks.gen.go (models, client, embedded spec).
//go:generate go run ./internal/cmd/specbundle -o gen/openapi.yaml openapi
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/oapi-codegen.yaml gen/openapi.yaml

// Each REST service on the regional hosts (https://{eu,us,as}-api.linnworks.net/v1/,
// /v2/) is a self-contained document under openapi/services/, compiled into its own
// package under gen/ (see openapi/README.md).
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/ordersv2/oapi-codegen.yaml openapi/services/orders-v2.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/pickingv2/oapi-codegen.yaml openapi/services/picking-v2.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/warehousetransferv1/oapi-codegen.yaml openapi/services/warehousetransfer-v1.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/warehousetransferv2/oapi-codegen.yaml openapi/services/warehousetransfer-v2.yaml

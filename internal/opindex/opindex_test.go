package opindex

import (
	"net/http"
	"strings"
	"testing"
)

func TestEmbedded(t *testing.T) {
	x, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Ops) < 6 {
		t.Fatalf("%d operations; want the whole document", len(x.Ops))
	}
	for _, tt := range []struct {
		method, path, id string
		limit            int
	}{
		{http.MethodPost, "/api/Orders/GetOpenOrders", "Orders_GetOpenOrders", 0},
		{http.MethodPost, "/api/Auth/AuthorizeByApplication", "Auth_AuthorizeByApplication", 0},
		{http.MethodGet, "/api/Inventory/GetCategories", "Inventory_GetCategories", 0},
	} {
		op := x.Lookup(tt.method, tt.path)
		if op == nil || op.ID != tt.id || op.Method != tt.method || op.Path != tt.path || op.RateLimit <= 0 {
			t.Errorf("Lookup(%s, %s) = %+v; want %s with a rate limit", tt.method, tt.path, op, tt.id)
			continue
		}
		if x.ByID(tt.id) != op || x.Ops[op.Index] != op {
			t.Errorf("ByID(%s) or Ops[Index] disagree with Lookup", tt.id)
		}
	}
	for _, tt := range [][2]string{
		{http.MethodGet, "/api/Orders/GetOpenOrders"}, // wrong method
		{http.MethodPost, "/api/Orders/NoSuchMethod"},
		{http.MethodPost, "/api/orders/getopenorders"},
		{http.MethodPost, ""},
	} {
		if op := x.Lookup(tt[0], tt[1]); op != nil {
			t.Errorf("Lookup(%s, %s) = %s; want none", tt[0], tt[1], op.ID)
		}
	}
	for i := 1; i < len(x.Ops); i++ {
		if x.Ops[i-1].ID >= x.Ops[i].ID {
			t.Fatalf("Ops not sorted at %d: %s, %s", i, x.Ops[i-1].ID, x.Ops[i].ID)
		}
	}
}

func TestBuild(t *testing.T) {
	x, err := Build([]byte(`{"paths":{
		"/a/{id}/b":{"get":{"operationId":"A_Get","x-linnworks-rate-limit":5},"put":{"operationId":"A_Put"}},
		"/a/{x}/b":{"delete":{"x-linnworks-rate-limit":1}},
		"/c":{"parameters":[],"post":{"operationId":"C_Post","x-linnworks-rate-limit":250}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		method, path, id string
		limit            int
	}{
		{"GET", "/a/42/b", "A_Get", 5},
		{"PUT", "/a/42/b", "A_Put", 0},
		{"DELETE", "/a/7/b", "DELETE /a/{x}/b", 1},
		{"POST", "/c", "C_Post", 250},
		{"GET", "/a//b", "", 0},
		{"GET", "/a/1/b/c", "", 0},
		{"PATCH", "/a/1/b", "", 0},
	} {
		op := x.Lookup(tt.method, tt.path)
		switch {
		case tt.id == "" && op != nil:
			t.Errorf("Lookup(%s %s) = %s; want none", tt.method, tt.path, op.ID)
		case tt.id != "" && (op == nil || op.ID != tt.id || op.RateLimit != tt.limit):
			t.Errorf("Lookup(%s %s) = %+v; want %s limit %d", tt.method, tt.path, op, tt.id, tt.limit)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	for doc, want := range map[string]string{
		`{`: "decoding the document",
		`{"paths":{"/a":{"get":{"operationId":"A","x-linnworks-rate-limit":"many"}}}}`:  "A: x-linnworks-rate-limit",
		`{"paths":{"/a":{"get":{"operationId":"A","x-linnworks-rate-limit":-1}}}}`:      "want a non-negative integer",
		`{"paths":{"/a":{"get":{"operationId":"A"}},"/b":{"get":{"operationId":"A"}}}}`: "used twice",
		`{"paths":{"/a":{"get":[]}}}`: "decoding GET /a",
	} {
		if _, err := Build([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Build(%s) = %v; want an error containing %q", doc, err, want)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	x, err := Embedded()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if x.Lookup(http.MethodPost, "/api/Orders/GetOpenOrders") == nil {
			b.Fatal("not found")
		}
	}
}

// All covers the classic API and the REST services: the services' operations are
// qualified with their package and found under their server's path.
func TestAll(t *testing.T) {
	x, err := All()
	if err != nil {
		t.Fatal(err)
	}
	classic, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Ops) <= len(classic.Ops) {
		t.Fatalf("%d operations; want more than the %d classic ones", len(x.Ops), len(classic.Ops))
	}
	services := map[string]int{}
	for _, op := range x.Ops {
		if op.Service == "" {
			if classic.ByID(op.ID) == nil {
				t.Errorf("%s: not a classic operation, but no service", op.ID)
			}
			continue
		}
		services[op.Service]++
		if !strings.HasPrefix(op.ID, op.Service+".") {
			t.Errorf("%s: not qualified with its service %s", op.ID, op.Service)
		}
		if !strings.HasPrefix(op.Path, "/v1/") && !strings.HasPrefix(op.Path, "/v2/") {
			t.Errorf("%s: path %s has no version prefix", op.ID, op.Path)
		}
		if got := x.Lookup(op.Method, strings.NewReplacer("{", "x", "}", "x").Replace(op.Path)); got == nil || got.Path != op.Path {
			t.Errorf("Lookup(%s %s) = %+v; want an operation of that path", op.Method, op.Path, got)
		}
	}
	for _, s := range []string{"ordersv2", "pickingv2", "warehousetransferv1", "warehousetransferv2"} {
		if services[s] == 0 {
			t.Errorf("no operation of %s", s)
		}
	}
	for _, tt := range []struct{ method, path, id string }{
		{http.MethodGet, "/v2/orders", "ordersv2.Orders_GetOrders"},
		{http.MethodGet, "/v2/picking/pickwaveidentifier", "pickingv2.PickwaveIdentifier_GetPickwaveidentifier"},
		{http.MethodPost, "/api/Orders/GetOpenOrders", "Orders_GetOpenOrders"},
	} {
		if op := x.Lookup(tt.method, tt.path); op == nil || op.ID != tt.id {
			t.Errorf("Lookup(%s %s) = %+v; want %s", tt.method, tt.path, op, tt.id)
		}
	}
	if op := x.Lookup(http.MethodGet, "/orders"); op != nil {
		t.Errorf("Lookup(GET /orders) = %s; want none (the service's path is /v2/orders)", op.ID)
	}
}

func TestBuildAll(t *testing.T) {
	x, err := BuildAll(
		Document{JSON: []byte(`{"paths":{"/api/A/Get":{"get":{"operationId":"A_Get","x-linnworks-rate-limit":5}}}}`)},
		Document{Service: "svc", JSON: []byte(`{"servers":[{"url":"https://eu-api.example/v2/"}],
			"paths":{"/a/{id}":{"get":{"operationId":"A_Get","x-linnworks-rate-limit":2}},
				"/a/{id}/items/{item}":{"put":{"operationId":"Item_Put"}},
				"/a/{id}/items/all":{"put":{"operationId":"Items_Put"}}}}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		method, path, id, service string
		limit                     int
	}{
		{"GET", "/api/A/Get", "A_Get", "", 5},
		{"GET", "/v2/a/7", "svc.A_Get", "svc", 2},
		{"GET", "/a/7", "", "", 0},
		{"PUT", "/v2/a/7/items/8", "svc.Item_Put", "svc", 0},
		{"PUT", "/v2/a/7/items/all", "svc.Items_Put", "svc", 0}, // a literal segment before a parameter
		{"GET", "/v2/a/7/items/all", "", "", 0},
	} {
		op := x.Lookup(tt.method, tt.path)
		switch {
		case tt.id == "" && op != nil:
			t.Errorf("Lookup(%s %s) = %s; want none", tt.method, tt.path, op.ID)
		case tt.id != "" && (op == nil || op.ID != tt.id || op.Service != tt.service || op.RateLimit != tt.limit || x.ByID(tt.id) != op):
			t.Errorf("Lookup(%s %s) = %+v; want %s of %q, limit %d", tt.method, tt.path, op, tt.id, tt.service, tt.limit)
		}
	}
	for _, tt := range []struct {
		docs []Document
		want string
	}{
		{[]Document{{Service: "svc", JSON: []byte(`{"paths":{}}`)}}, "the svc document has no servers"},
		{[]Document{{Service: "svc", JSON: []byte(`{`)}}, "decoding the svc document"},
		{[]Document{
			{Service: "svc", JSON: []byte(`{"servers":[{"url":"/v1/"}],"paths":{"/a":{"get":{"operationId":"A"}}}}`)},
			{Service: "svc", JSON: []byte(`{"servers":[{"url":"/v2/"}],"paths":{"/a":{"get":{"operationId":"A"}}}}`)},
		}, "svc.A is used twice"},
	} {
		if _, err := BuildAll(tt.docs...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("BuildAll = %v; want an error containing %q", err, tt.want)
		}
	}
}

func BenchmarkLookupService(b *testing.B) {
	x, err := All()
	if err != nil {
		b.Fatal(err)
	}
	var op *Op
	for _, o := range x.Ops { // the last templated path of the services: the slowest lookup
		if o.Service != "" && strings.Contains(o.Path, "{") {
			op = o
		}
	}
	path := strings.NewReplacer("{", "x", "}", "x").Replace(op.Path)
	b.ReportAllocs()
	for b.Loop() {
		if x.Lookup(op.Method, path) == nil {
			b.Fatal("not found")
		}
	}
}

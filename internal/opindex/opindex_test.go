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

package mock_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
	"github.com/linnworks-go/linnworks/mock"
)

// A test wires the generated client and authn to the mock exactly as to Linnworks,
// with the mock's Client as transport.
func Example() {
	m := mock.New()
	src, err := authn.NewSource(m.Credentials(), authn.WithHTTPClient(m.Client()))
	if err != nil {
		panic(err)
	}
	client, err := gen.NewClientWithResponses(mock.AuthServer,
		gen.WithRequestEditorFn(src.EditRequest),
		gen.WithHTTPClient(src.Doer(m.Client())))
	if err != nil {
		panic(err)
	}

	m.Stub("Inventory_GetCategories", func(*http.Request) (int, any) {
		name := "Shoes"
		return http.StatusOK, []gen.LinnworksCategory{{CategoryName: &name}}
	})
	resp, err := client.InventoryGetCategoriesWithResponse(context.Background())
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode(), *(*resp.JSON200)[0].CategoryName)
	fmt.Println("calls:", m.Calls("Inventory_GetCategories"), "sessions:", m.SessionCount())
	// Output:
	// 200 Shoes
	// calls: 1 sessions: 1
}

// FailNext makes the next calls of an operation fail, for resilience tests.
func ExampleServer_FailNext() {
	m := mock.New()
	m.FailNext("Auth_AuthorizeByApplication", 1, http.StatusServiceUnavailable)
	resp, err := m.Client().Post(mock.AuthServer+"/api/Auth/AuthorizeByApplication", "application/json", nil)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output: 503
}

// A stub answers a REST service error as the services do, with an RFC 9457 problem
// document (application/problem+json); Respond gives any other declared Content-Type.
func ExampleProblem() {
	m := mock.New()
	m.Stub(mock.ServiceOperation("pickingv2", "PickwaveIdentifier_GetPickwaveidentifier"), func(*http.Request) (int, any) {
		return http.StatusForbidden, mock.Problem{Title: "Forbidden", Detail: "no access to picking"}
	})
	c := m.Client()
	resp, err := c.Post(mock.AuthServer+"/api/Auth/AuthorizeByApplication", "application/json",
		strings.NewReader(`{"ApplicationId":"`+m.Credentials().ApplicationID+`","ApplicationSecret":"`+
			m.Credentials().ApplicationSecret+`","Token":"`+m.Credentials().Token+`"}`))
	if err != nil {
		panic(err)
	}
	var s struct{ Token string }
	_ = json.NewDecoder(resp.Body).Decode(&s)
	resp.Body.Close()

	req, _ := http.NewRequest(http.MethodGet, mock.SessionRegionalHost+"/v2/picking/pickwaveidentifier", nil)
	req.Header.Set("Authorization", s.Token)
	resp, err = c.Do(req)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Println(string(body))
	// Output:
	// 403 application/problem+json
	// {"title":"Forbidden","status":403,"detail":"no access to picking"}
}

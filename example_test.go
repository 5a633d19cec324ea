package linnworks_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/linnworks-go/linnworks"
	"github.com/linnworks-go/linnworks/authn"
)

// NewClient is all the setup a service needs. Here the HTTP client is an
// in-memory stand-in for Linnworks; without WithHTTPClient the client talks to
// the real API.
func ExampleNewClient() {
	client, err := linnworks.NewClient(authn.Credentials{
		ApplicationID:     "0a8f3c1e-51b6-4d7e-9a2f-3c4d5e6f7a8b",
		ApplicationSecret: "9c2d4e6f-8a1b-4c3d-8e5f-6a7b8c9d0e1f",
		Token:             "4f5e6d7c-8b9a-4b1c-9d2e-3f4a5b6c7d8e",
	}, linnworks.WithHTTPClient(exampleLinnworks()))
	if err != nil {
		panic(err) // names the malformed credential; nothing was sent
	}
	resp, err := client.InventoryGetCategoriesWithResponse(context.Background())
	if err != nil {
		panic(err)
	}
	for _, c := range *resp.JSON200 {
		fmt.Println(*c.CategoryName)
	}
	// Output:
	// Default
	// Garden
}

// ExampleNewClient_malformedCredentials shows the error for a malformed
// credential: it names the field and never repeats the value.
func ExampleNewClient_malformedCredentials() {
	_, err := linnworks.NewClient(authn.Credentials{
		ApplicationID:     "0a8f3c1e-51b6-4d7e-9a2f-3c4d5e6f7a8b",
		ApplicationSecret: "my secret, pasted wrongly",
		Token:             "4f5e6d7c-8b9a-4b1c-9d2e-3f4a5b6c7d8e",
	})
	fmt.Println(err)
	// Output:
	// authn: Credentials.ApplicationSecret is not a UUID (want 36 characters like 8-4-4-4-12 hex digits, got 25 characters)
}

// exampleLinnworks answers the authorization and Inventory_GetCategories in memory.
func exampleLinnworks() *http.Client {
	mt := httpmock.NewMockTransport()
	json := http.Header{"Content-Type": {"application/json"}}
	mt.RegisterResponder(http.MethodPost, "https://api.linnworks.net/api/Auth/AuthorizeByApplication",
		httpmock.NewStringResponder(200, `{"Token":"5e550001-0000-4000-8000-000000000000","Server":"https://eu-ext.linnworks.net"}`).HeaderSet(json))
	mt.RegisterMatcherResponder(http.MethodGet, "https://eu-ext.linnworks.net/api/Inventory/GetCategories",
		httpmock.HeaderIs("Authorization", "5e550001-0000-4000-8000-000000000000"),
		httpmock.NewStringResponder(200, `[{"CategoryName":"Default"},{"CategoryName":"Garden"}]`).HeaderSet(json))
	return &http.Client{Transport: mt}
}

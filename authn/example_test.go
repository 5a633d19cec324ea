package authn_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/linnworks-go/linnworks/authn"
	"github.com/linnworks-go/linnworks/gen"
)

// The three-line setup: a Source from the credentials, and a generated client
// that attaches its sessions (EditRequest) and re-authorizes on 401 (Doer).
// Here the HTTP client is an in-memory stand-in for Linnworks.
func Example() {
	httpClient := fakeLinnworks()
	creds := authn.Credentials{
		ApplicationID:     "0a8f3c1e-51b6-4d7e-9a2f-3c4d5e6f7a8b",
		ApplicationSecret: "9c2d4e6f-8a1b-4c3d-8e5f-6a7b8c9d0e1f",
		Token:             "4f5e6d7c-8b9a-4b1c-9d2e-3f4a5b6c7d8e",
	}

	src, err := authn.NewSource(creds, authn.WithHTTPClient(httpClient))
	if err != nil {
		panic(err)
	}
	client, err := gen.NewClientWithResponses(authn.DefaultAuthServer,
		gen.WithRequestEditorFn(src.EditRequest), gen.WithHTTPClient(src.Doer(httpClient)))
	if err != nil {
		panic(err)
	}

	resp, err := client.InventoryGetCategoriesWithResponse(context.Background())
	if err != nil {
		panic(err)
	}
	for _, c := range *resp.JSON200 {
		fmt.Println(*c.CategoryName)
	}
	sess, _ := src.Session(context.Background())
	fmt.Println(sess)
	fmt.Printf("%+v\n", creds)
	// Output:
	// Default
	// Garden
	// authn.Session{Server: https://eu-ext.linnworks.net, Locality: EU, Token: [REDACTED]}
	// authn.Credentials{ApplicationID: 0a8f3c1e-51b6-4d7e-9a2f-3c4d5e6f7a8b, ApplicationSecret: [REDACTED], Token: [REDACTED]}
}

// fakeLinnworks answers the authorization and Inventory_GetCategories in memory.
func fakeLinnworks() *http.Client {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, "https://api.linnworks.net/api/Auth/AuthorizeByApplication",
		httpmock.NewStringResponder(200, `{"Token":"5e550001-0000-4000-8000-000000000000","Server":"https://eu-ext.linnworks.net","Locality":"EU"}`).
			HeaderSet(http.Header{"Content-Type": {"application/json"}}))
	mt.RegisterMatcherResponder(http.MethodGet, "https://eu-ext.linnworks.net/api/Inventory/GetCategories",
		httpmock.HeaderIs("Authorization", "5e550001-0000-4000-8000-000000000000"),
		httpmock.NewStringResponder(200, `[{"CategoryName":"Default"},{"CategoryName":"Garden"}]`).
			HeaderSet(http.Header{"Content-Type": {"application/json"}}))
	return &http.Client{Transport: mt}
}

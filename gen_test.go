package linnworks_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/linnworks-go/linnworks/gen"
)

// A session as Linnworks answers it: every field the official spec lists, plus
// fields it does not list (FullName, CustomerId, ExpirationDate, ...), which
// decoding must tolerate.
const realisticSession = `{
  "Id": "6f0a9d2c-1b3e-4c5d-8e7f-0a1b2c3d4e5f",
  "EntityId": "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5",
  "DatabaseName": "LW_1234",
  "DatabaseServer": "10.0.0.1",
  "PrivateDatabaseServer": "10.0.0.2",
  "DatabaseUser": "lw_user",
  "DatabasePassword": "",
  "AppName": "Test app",
  "sid_registration": "00000000-0000-0000-0000-000000000000",
  "UserName": "seller@example.com",
  "Md5Hash": "d41d8cd98f00b204e9800998ecf8427e",
  "Locality": "EU",
  "SuperAdmin": true,
  "TTL": 0,
  "Token": "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901",
  "AccessToken": null,
  "GroupName": "Administrators",
  "Device": "Application",
  "DeviceType": "Application",
  "UserType": "SuperAdmin",
  "Status": {"State": "AVAILABLE", "Reason": "", "Parameters": {"k": "v"}},
  "UserId": "3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b",
  "Properties": {"x-accountholder": "true"},
  "Email": "seller@example.com",
  "Server": "https://eu-ext.linnworks.net",
  "PushServer": "https://push.linnworks.net",
  "FullName": "A Seller",
  "Company": "Seller Ltd",
  "ProductName": "Linnworks",
  "ExpirationDate": "2027-01-01T00:00:00Z",
  "IsAccountHolder": true,
  "SessionUserId": 42,
  "CustomerId": "4d5e6f70-8192-43a4-b5c6-d7e8f90a1b2c"
}`

func TestBaseSessionDecodesRealResponse(t *testing.T) {
	resp, err := gen.ParseAuthAuthorizeByApplicationResponse(&http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:       io.NopCloser(strings.NewReader(realisticSession)),
	})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	s := resp.JSON200
	if s == nil {
		t.Fatal("JSON200 is nil for a 200 application/json answer")
	}
	checks := []struct {
		field string
		got   any
		want  any
	}{
		{"Server", *s.Server, "https://eu-ext.linnworks.net"},
		{"Token", s.Token.String(), "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901"},
		{"Locality", *s.Locality, gen.BaseSessionLocality("EU")},
		{"UserName", *s.UserName, "seller@example.com"},
		{"EntityId", s.EntityId.String(), "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5"},
		{"SidRegistration", s.SidRegistration.String(), "00000000-0000-0000-0000-000000000000"},
		{"Status.State", *s.Status.State, gen.StatusDetailsState("AVAILABLE")},
		{"Status.Parameters", *s.Status.Parameters, map[string]string{"k": "v"}},
		{"Properties", *s.Properties, map[string]string{"x-accountholder": "true"}},
		{"SuperAdmin", *s.SuperAdmin, true},
		{"TTL", *s.TTL, int32(0)},
		{"AccessToken (null)", s.AccessToken, (*string)(nil)},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.field, c.got, c.want)
		}
	}
	if !s.Locality.Valid() || !s.Status.State.Valid() {
		t.Error("enum values from the spec are reported invalid")
	}
}

func TestOpenOrdersRequestRoundTrips(t *testing.T) {
	page, perPage := int32(2), int32(50)
	textCode := gen.TextFieldFilterFieldCode("GENERAL_INFO_ORDER_ID")
	textType := gen.TextFieldFilterType("Equal")
	text := "1001"
	sortCode := gen.FieldSortingFieldCode("GENERAL_INFO_ORDER_ID")
	dir := gen.FieldSortingDirection("Descending")
	order := int32(0)
	want := gen.OrdersGetOpenOrdersJSONRequestBody{
		EntriesPerPage: &perPage,
		PageNumber:     &page,
		Filters: &gen.FieldsFilter{TextFields: &[]gen.TextFieldFilter{{
			FieldCode: &textCode, Type: &textType, Text: &text,
		}}},
		Sorting: &[]gen.FieldSorting{{FieldCode: &sortCode, Direction: &dir, Order: &order}},
	}
	for _, v := range []any{textCode, textType, sortCode, dir} {
		if !reflect.ValueOf(v).MethodByName("Valid").Call(nil)[0].Bool() {
			t.Fatalf("%v is not a value of its enum in the spec", v)
		}
	}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	// The wire names are the spec's, not Go's.
	for _, name := range []string{`"entriesPerPage":50`, `"pageNumber":2`, `"filters":{"TextFields":[`, `"sorting":[{`, `"FieldCode":"GENERAL_INFO_ORDER_ID"`} {
		if !bytes.Contains(data, []byte(name)) {
			t.Errorf("request body %s lacks %s", data, name)
		}
	}
	var got gen.OrdersGetOpenOrdersJSONRequestBody
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the body:\n got %#v\nwant %#v", got, want)
	}
}

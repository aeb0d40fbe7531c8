// Package clienttest holds the Go client oapi-codegen v2.8.2 generates from
// openapi/openapi.json (client.gen.go, written by openapi/generate.sh and
// never edited by hand) and the test that drives the README walkthrough
// with it against a live gateway. Only tests use it.
package clienttest

// Package clienttest holds the test that drives the README walkthrough with
// billbridge's Go client (module github.com/billbridge/billbridge/client, in
// client/, generated from openapi/openapi.json) against a live gateway, each
// exchange checked against the spec. Only tests use it.
package clienttest

package routes

import (
	"bytes"
	"mime/multipart"
	"testing"
)

// form encodes fields (name, file name, content) as multipart/form-data
// with the given boundary.
func form(t *testing.T, boundary string, fields ...[3]string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if err := w.SetBoundary(boundary); err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		part, err := w.CreateFormFile(f[0], f[1])
		if err != nil {
			t.Fatal(err)
		}
		part.Write([]byte(f[2]))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), b.Bytes()
}

func TestFingerprintMultipartIgnoresTheBoundary(t *testing.T) {
	file := [3]string{"file", "kunden.csv", "Firma;PLZ\nMüller AG;8001\n"}
	ct1, body1 := form(t, "first-boundary", file)
	ct2, body2 := form(t, "another-boundary-1234", file)
	if bytes.Equal(body1, body2) {
		t.Fatal("the two bodies should differ in their boundary")
	}
	a := Fingerprint("POST", "/v1/imports/customers", "", ct1, body1)
	if b := Fingerprint("POST", "/v1/imports/customers", "", ct2, body2); a != b {
		t.Errorf("the same file under two boundaries: %s != %s", a, b)
	}
	for name, other := range map[string][3]string{
		"another content":   {"file", "kunden.csv", "Firma;PLZ\nMüller AG;8002\n"},
		"another file name": {"file", "clients.csv", file[2]},
		"another field":     {"upload", "kunden.csv", file[2]},
	} {
		ct, body := form(t, "first-boundary", other)
		if Fingerprint("POST", "/v1/imports/customers", "", ct, body) == a {
			t.Errorf("%s: same fingerprint", name)
		}
	}
}

func TestFingerprintCountsQueryAndBody(t *testing.T) {
	body := []byte(`{"channel":"email"}`)
	base := Fingerprint("POST", "/v1/imports/customers", "", "application/json", body)
	if Fingerprint("POST", "/v1/imports/customers", "dry_run=true", "application/json", body) == base {
		t.Error("a dry run has the fingerprint of the import")
	}
	if Fingerprint("POST", "/v1/imports/customers", "", "application/json", []byte(`{"channel":"post"}`)) == base {
		t.Error("another body has the same fingerprint")
	}
	// A body that claims multipart but is not counts byte for byte, still per body.
	x := Fingerprint("POST", "/p", "", "multipart/form-data; boundary=b", []byte("not a form"))
	if y := Fingerprint("POST", "/p", "", "multipart/form-data; boundary=b", []byte("not a form either")); x == y {
		t.Error("two unparsable bodies share a fingerprint")
	}
}

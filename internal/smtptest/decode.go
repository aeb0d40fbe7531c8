package smtptest

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"strings"
)

type mimeDecoder struct{ mime.WordDecoder }

// header decodes RFC 2047 encoded words.
func (d *mimeDecoder) header(s string) string {
	if out, err := d.DecodeHeader(s); err == nil {
		return out
	}
	return s
}

// decodeBody undoes a quoted-printable or base64 transfer encoding.
func decodeBody(enc, body string) string {
	switch strings.ToLower(enc) {
	case "quoted-printable":
		if out, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body))); err == nil {
			return string(out)
		}
	case "base64":
		if out, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(body), "")); err == nil {
			return string(out)
		}
	}
	return body
}

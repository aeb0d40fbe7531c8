package routes

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"io"
	"mime"
	"mime/multipart"
)

// Fingerprint identifies a request under an Idempotency-Key: method, path,
// query (dry_run=true is another request than the import itself) and body.
// A multipart/form-data body counts by its parts (field name, file name,
// content type and bytes), not by its boundary: Make and other clients draw
// a new boundary for every send, and a retry of the same file must replay.
// A body that does not parse as multipart counts byte for byte.
func Fingerprint(method, path, rawQuery, contentType string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method + "\n" + path + "\n"))
	if rawQuery != "" {
		h.Write([]byte("?" + rawQuery + "\n"))
	}
	if !writeParts(h, contentType, body) {
		h.Write(body)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeParts writes the parts of a multipart/form-data body to h, each field
// length-prefixed, and reports whether the body was one; h is only written
// to when it was.
func writeParts(h hash.Hash, contentType string, body []byte) bool {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return false
	}
	var parts bytes.Buffer
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return false
		}
		content, err := io.ReadAll(p)
		if err != nil {
			return false
		}
		for _, field := range [][]byte{[]byte(p.FormName()), []byte(p.FileName()), []byte(p.Header.Get("Content-Type")), content} {
			parts.Write(binary.BigEndian.AppendUint64(nil, uint64(len(field))))
			parts.Write(field)
		}
	}
	h.Write([]byte("multipart/form-data\n"))
	h.Write(parts.Bytes())
	return true
}

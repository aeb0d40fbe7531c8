package web

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// Polls answers the polls of lists and feeds from rendered bytes. Most polls
// of an automation platform find nothing new: when the account's version is
// the one a page was rendered at, the stored bytes are the answer, and a
// client that sends the page's ETag in If-None-Match gets 304 Not Modified.
//
// The version is the caller's promise: it must change whenever the answer
// to the request could (the account's event seq, which every change bumps
// in its own transaction, plus whatever else the answer is derived from,
// such as today's date), and it must be read from the database before the
// page, so a page is never older than the version it is stored under. Read
// from the database, it is the same on every instance: a poll after a
// committed write is never answered from an older page, whichever instance
// took the write.
//
// Only 200 answers are stored. Entries are per account and request
// (path and query); the total size is bounded by MaxBytes.
type Polls struct {
	// MaxBytes bounds the stored bodies; 0 means 32 MiB.
	MaxBytes int

	mu      sync.Mutex
	entries map[string]*pollEntry
	size    int
}

type pollEntry struct {
	version string
	etag    string
	body    []byte
}

// Serve writes the answer to the request for the account at version:
// 304 when If-None-Match names its ETag, the stored bytes when they were
// rendered at version, else render's value encoded, stored and written.
// Every answer carries the ETag and Cache-Control: private, no-cache.
func (p *Polls) Serve(c *gin.Context, accountID, version string, render func() (any, error)) error {
	key := accountID + "\x00" + c.Request.URL.Path + "?" + c.Request.URL.RawQuery
	e := p.get(key, version)
	if e == nil {
		v, err := render()
		if err != nil {
			return err
		}
		body, err := Encode(v)
		if err != nil {
			return err
		}
		e = &pollEntry{version: version, etag: etag(key, version), body: body}
		p.put(key, e)
	}
	h := c.Writer.Header()
	h.Set("ETag", e.etag)
	h.Set("Cache-Control", "private, no-cache")
	if noneMatch(c.GetHeader("If-None-Match"), e.etag) {
		c.Status(http.StatusNotModified)
		return nil
	}
	return Raw(c, http.StatusOK, e.body)
}

func (p *Polls) get(key, version string) *pollEntry {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if e := p.entries[key]; e != nil && e.version == version {
		return e
	}
	return nil
}

func (p *Polls) put(key string, e *pollEntry) {
	if p == nil {
		return
	}
	limit := p.MaxBytes
	if limit <= 0 {
		limit = 32 << 20
	}
	if len(e.body) > limit/8 {
		return // a page this large would crowd out the others
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.entries == nil {
		p.entries = make(map[string]*pollEntry)
	}
	if old := p.entries[key]; old != nil {
		p.size -= len(old.body)
	}
	// Evict arbitrary entries (map order) until the new one fits.
	for k, old := range p.entries {
		if p.size+len(e.body) <= limit {
			break
		}
		delete(p.entries, k)
		p.size -= len(old.body)
	}
	p.entries[key] = e
	p.size += len(e.body)
}

// etag is a strong validator of the answer to key at version: the same on
// every instance, since the answer is.
func etag(key, version string) string {
	sum := sha256.Sum256([]byte(key + "\x00" + version))
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// noneMatch reports whether an If-None-Match header value names tag (weak
// comparison, RFC 9110 §13.1.2) or is "*".
func noneMatch(header, tag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

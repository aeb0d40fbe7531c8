package web

import (
	"context"
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
// (path and query); the total size is bounded by MaxBytes. A page is
// rendered once per version: polls of the same request at the same version
// that arrive while it renders (all of them, right after a write) wait for
// that render instead of each rendering it again.
type Polls struct {
	// MaxBytes bounds the stored bodies; 0 means 32 MiB.
	MaxBytes int

	mu      sync.Mutex
	entries map[string]*pollEntry
	flights map[string]*pollFlight // renders under way, by key and version
	size    int
}

// pollFlight is one render under way; done is closed when it ended, e is
// then its page, nil when it failed. waiting counts the polls waiting for
// it (under Polls.mu).
type pollFlight struct {
	done    chan struct{}
	e       *pollEntry
	waiting int
}

type pollEntry struct {
	version string
	etag    string
	body    []byte
}

// Cached answers the request for the account from the page stored at
// version, if there is one, and reports whether it did (304 when
// If-None-Match names its ETag, else the stored bytes). Only 200 answers are
// stored, under the request's exact path and query: a handler may call
// Cached before it binds and validates the query, since a stored page means
// that very query was valid at that version. The version must be read as
// for Serve, before anything it covers.
func (p *Polls) Cached(c *gin.Context, accountID, version string) (bool, error) {
	e := p.get(p.key(c, accountID), version)
	if e == nil {
		return false, nil
	}
	return true, e.write(c)
}

// Serve writes the answer to the request for the account at version:
// 304 when If-None-Match names its ETag, the stored bytes when they were
// rendered at version, else render's value encoded, stored and written.
// Every answer carries the ETag and Cache-Control: private, no-cache.
func (p *Polls) Serve(c *gin.Context, accountID, version string, render func() (any, error)) error {
	key := p.key(c, accountID)
	e := p.get(key, version)
	if e == nil {
		var err error
		if e, err = p.renderOnce(c.Request.Context(), key, version, render); err != nil {
			return err
		}
	}
	return e.write(c)
}

// renderOnce returns the page of key at version: rendered and stored here,
// or, when another poll is rendering that very page, the page it renders.
// If that render fails (its client gone, say), this poll renders for
// itself, so one poll's failure is never another's answer.
func (p *Polls) renderOnce(ctx context.Context, key, version string, render func() (any, error)) (*pollEntry, error) {
	if p == nil {
		return renderEntry(key, version, render)
	}
	fk := key + "\x00" + version
	p.mu.Lock()
	if e := p.entries[key]; e != nil && e.version == version {
		p.mu.Unlock()
		return e, nil
	}
	if f := p.flights[fk]; f != nil {
		f.waiting++
		p.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.e != nil {
			return f.e, nil
		}
		return renderEntry(key, version, render)
	}
	f := &pollFlight{done: make(chan struct{})}
	if p.flights == nil {
		p.flights = make(map[string]*pollFlight)
	}
	p.flights[fk] = f
	p.mu.Unlock()
	defer func() { // also when render panics: no waiter is left waiting
		p.mu.Lock()
		delete(p.flights, fk)
		p.mu.Unlock()
		close(f.done)
	}()
	e, err := renderEntry(key, version, render)
	if err != nil {
		return nil, err
	}
	p.put(key, e)
	f.e = e
	return e, nil
}

// renderEntry renders and encodes the page of key at version.
func renderEntry(key, version string, render func() (any, error)) (*pollEntry, error) {
	v, err := render()
	if err != nil {
		return nil, err
	}
	body, err := Encode(v)
	if err != nil {
		return nil, err
	}
	return &pollEntry{version: version, etag: etag(key, version), body: body}, nil
}

// key names the request of the account: its path and raw query.
func (p *Polls) key(c *gin.Context, accountID string) string {
	u := c.Request.URL
	return accountID + "\x00" + u.Path + "?" + u.RawQuery
}

// write answers with e: 304 when If-None-Match names its ETag, else its body.
func (e *pollEntry) write(c *gin.Context) error {
	h := c.Writer.Header()
	h["Etag"] = []string{e.etag}
	h["Cache-Control"] = cacheControl
	if noneMatch(c.Request.Header.Get("If-None-Match"), e.etag) {
		c.Status(http.StatusNotModified)
		return nil
	}
	return Raw(c, http.StatusOK, e.body)
}

// cacheControl is shared by every answer; net/http only reads it.
var cacheControl = []string{"private, no-cache"}

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
	for header != "" {
		var t string
		t, header, _ = strings.Cut(header, ",")
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

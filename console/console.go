// Package console serves the owner's console at /console: server-rendered
// HTML (html/template, assets embedded, no script) in German, French and
// English, signed in with an API key that becomes a session cookie. Its
// pages show and change what the API does through the same domain calls
// and handlers' services (package actions and triggers); it holds no
// business rules of its own.
//
// It imports the domain, gin, internal/web, actions and triggers; it is
// handed a billbridge.Store and never imports an adapter.
package console

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"billbridge"
	"billbridge/actions"
	"billbridge/internal/web"
	"billbridge/triggers"

	"github.com/gin-gonic/gin"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Handler serves the console.
type Handler struct {
	Store    billbridge.Store
	Clock    billbridge.Clock
	Logger   *slog.Logger
	Actions  *actions.Handler
	Triggers *triggers.Handler
	// Status maps an error to its HTTP status (routes.HTTPStatus).
	Status func(err error) int
	// LoginRefused is how long the client stays refused after too many
	// failed sign-ins (0: it may try); nil refuses no one.
	LoginRefused func(c *gin.Context) time.Duration
	// LoginFailed counts a failed sign-in and returns how long the client
	// is now refused (0: not refused); nil counts nothing.
	LoginFailed func(c *gin.Context) time.Duration

	pages map[string]*template.Template
}

// New returns the console's handler; it panics when an embedded template
// does not parse (a build defect the tests catch).
func New(h Handler) *Handler {
	h.pages = map[string]*template.Template{}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		base := n[len("templates/") : len(n)-len(".html")]
		if base == "layout" {
			continue
		}
		h.pages[base] = template.Must(template.New("layout.html").Funcs(funcs).Option("missingkey=error").
			ParseFS(templateFS, "templates/layout.html", n))
	}
	return &h
}

// Static serves the embedded stylesheet (GET /console/static/*file).
func (h *Handler) Static(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.FileFromFS("static/"+c.Param("file"), http.FS(staticFS))
}

// Secure sets the console's security headers: no framing, no scripts, no
// caching of pages that show account data.
func (h *Handler) Secure(c *gin.Context) {
	hd := c.Writer.Header()
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Cache-Control", "no-store")
	c.Next()
}

// CleanPath answers a path whose ids are not clean text (invalid UTF-8,
// control characters) with 404 before any store sees them, as the API's
// routes do: PostgreSQL would fail on a NUL where SQLite finds nothing.
func (h *Handler) CleanPath(c *gin.Context) {
	if err := web.PathError(c.Params); err != nil {
		h.fail(c, "denied", err, nil)
		c.Abort()
		return
	}
	c.Next()
}

// view is what every page template gets.
type view struct {
	Lang    string
	Langs   []string
	T       map[string]string
	Path    string // the page's path, for the language switch
	Nav     string // the page, for the menu
	CSRF    string
	Account *billbridge.Account
	Notice  string // a message key to confirm what was done
	Error   string // what went wrong, shown above the page
	Fields  []billbridge.FieldError
	Data    any
}

// render writes page with status; data is the page's own part.
func (h *Handler) render(c *gin.Context, status int, page string, v view) {
	v.Lang = language(c)
	v.Langs = languages
	v.T = catalogues[v.Lang]
	v.Path = c.Request.URL.Path
	v.Nav = page
	if s := sessionOf(c); s != nil {
		v.Account = s.Account
		v.CSRF = csrfToken(s.token)
	}
	if v.CSRF == "" {
		v.CSRF = c.GetString(keyLoginCSRF)
	}
	var buf bytes.Buffer
	if err := h.pages[page].Execute(&buf, v); err != nil {
		h.Logger.ErrorContext(c.Request.Context(), "console page failed", "page", page, "err", err)
		c.String(http.StatusInternalServerError, "Internal error.")
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// fail shows err on page (with its status), the page's data as given.
func (h *Handler) fail(c *gin.Context, page string, err error, data any) {
	status := h.Status(err)
	v := view{Data: data, Error: "internal"}
	if status >= 500 {
		h.Logger.ErrorContext(c.Request.Context(), "console request failed", "err", err)
	} else if e, ok := err.(*billbridge.Error); ok {
		v.Error, v.Fields = e.Message, e.Fields
	}
	h.render(c, status, page, v)
}

// seeOther sends the browser to path after a write (POST/redirect/GET),
// with a notice key the next page shows.
func seeOther(c *gin.Context, path, notice string) {
	if notice != "" {
		path += "?done=" + notice
	}
	c.Redirect(http.StatusSeeOther, path)
}

// notice returns the confirmation key of a redirect after a write, when it
// is one the catalogue knows.
func notice(c *gin.Context) string {
	n := c.Query("done")
	if _, ok := catalogues["en"]["done_"+n]; ok {
		return "done_" + n
	}
	return ""
}

package console

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// languages are the console's languages; the first is the default.
var languages = []string{"de", "fr", "en"}

//go:embed locales/*.json
var localeFS embed.FS

// catalogues holds every string of the console, one catalogue per language
// (locales/<lang>.json); a test checks that they have the same keys and
// that every key a template uses exists.
var catalogues = loadCatalogues()

func loadCatalogues() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, l := range languages {
		b, err := localeFS.ReadFile("locales/" + l + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("console: locales/%s.json: %v", l, err))
		}
		out[l] = m
	}
	return out
}

// language picks the request's language: ?lang= (remembered in a cookie),
// then the cookie, then Accept-Language, then German.
func language(c *gin.Context) string {
	if l := c.Query("lang"); known(l) {
		setCookie(c, langCookie, l, 365*24*3600)
		return l
	}
	if l, err := c.Cookie(langCookie); err == nil && known(l) {
		return l
	}
	return fromAcceptLanguage(c.GetHeader("Accept-Language"))
}

func known(l string) bool {
	_, ok := catalogues[l]
	return ok
}

// fromAcceptLanguage returns the known language the header prefers most
// (by q, then order), German when it names none.
func fromAcceptLanguage(h string) string {
	best, bestQ := languages[0], 0.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if known(primary) && q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"when": func(t *time.Time) string {
		if t == nil {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"ptr":     func(t time.Time) *time.Time { return &t },
	"weblink": webLink,
	"inc":     func(i int) int { return i + 1 },
	"percent": func(r *float64) string {
		if r == nil {
			return "—"
		}
		return strconv.FormatFloat(*r*100, 'f', 1, 64) + " %"
	},
}

// webLink returns u when it is an absolute http(s) URL, the only kind the
// console makes a link of; "" otherwise.
func webLink(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return u
}

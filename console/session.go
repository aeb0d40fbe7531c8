package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// Cookie names; every console cookie is HttpOnly, SameSite=Strict, scoped
// to /console and Secure when served over TLS.
const (
	sessionCookie = "bb_session"
	loginCookie   = "bb_login" // the CSRF secret of the sign-in form
	langCookie    = "bb_lang"
)

// touchEvery is how often a session's last_seen_at is written: its idle
// expiry is exact to this.
const touchEvery = time.Minute

const (
	keySession    = "console.session"
	keyLoginCSRF  = "console.login_csrf"
	csrfFormField = "csrf"
)

// session is the signed-in session of a request, with its token.
type session struct {
	*billbridge.Session
	token string
}

func sessionOf(c *gin.Context) *session {
	s, _ := c.Get(keySession)
	ss, _ := s.(*session)
	return ss
}

// csrfToken derives the forms' CSRF token from a secret only the browser's
// HttpOnly cookie holds (the session token, or before sign-in the login
// cookie): another site can neither read the cookie nor compute the token.
func csrfToken(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("billbridge console csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfOK reports whether the posted form carries the token of secret.
func csrfOK(c *gin.Context, secret string) bool {
	got := c.PostForm(csrfFormField)
	return secret != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(csrfToken(secret))) == 1
}

func setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/console", MaxAge: maxAge,
		HttpOnly: true, Secure: c.Request.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
}

// LoginForm shows the sign-in form (GET /console/login).
func (h *Handler) LoginForm(c *gin.Context) {
	h.loginPage(c, http.StatusOK, "")
}

// loginPage renders the sign-in form with a fresh CSRF secret cookie.
func (h *Handler) loginPage(c *gin.Context, status int, errKey string) {
	secret, _ := billbridge.NewSessionToken()
	setCookie(c, loginCookie, secret, 3600)
	c.Set(keyLoginCSRF, csrfToken(secret))
	v := view{Error: errKey, Notice: notice(c)}
	h.render(c, status, "login", v)
}

// Login turns an API key into a session (POST /console/login). Failed
// sign-ins count against the client like failed API authentications.
func (h *Handler) Login(c *gin.Context) {
	if h.LoginRefused != nil {
		if wait := h.LoginRefused(c); wait > 0 {
			h.tooMany(c, wait)
			return
		}
	}
	secret, _ := c.Cookie(loginCookie)
	if !csrfOK(c, secret) {
		h.loginPage(c, http.StatusForbidden, "err_csrf")
		return
	}
	key := strings.TrimSpace(c.PostForm("api_key"))
	now := h.Clock.Now()
	token, hash := billbridge.NewSessionToken()
	s := &billbridge.Session{TokenHash: hash, CreatedAt: now, LastSeenAt: now}
	var err error = billbridge.NotFound("API key")
	if key != "" {
		err = h.Store.CreateSession(c.Request.Context(), s, billbridge.HashAPIKey(key))
	}
	if billbridge.ErrorCode(err) == billbridge.ENOTFOUND {
		if h.LoginFailed != nil {
			if wait := h.LoginFailed(c); wait > 0 {
				h.tooMany(c, wait)
				return
			}
		}
		h.loginPage(c, http.StatusUnauthorized, "err_bad_key")
		return
	}
	if err != nil {
		h.fail(c, "login", err, nil)
		return
	}
	setCookie(c, loginCookie, "", -1)
	setCookie(c, sessionCookie, token, int(billbridge.SessionMaxAge/time.Second))
	c.Redirect(http.StatusSeeOther, "/console")
}

// tooMany answers 429 with the sign-in form.
func (h *Handler) tooMany(c *gin.Context, wait time.Duration) {
	c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	h.loginPage(c, http.StatusTooManyRequests, "err_too_many")
}

// RequireSession lets a request with a live session through (its account
// set as the API's authentication does) and sends any other to the
// sign-in form. Every POST must carry the session's CSRF token (403
// otherwise). An expired session is deleted.
func (h *Handler) RequireSession(c *gin.Context) {
	token, _ := c.Cookie(sessionCookie)
	if token == "" {
		h.toLogin(c, "")
		return
	}
	ctx := c.Request.Context()
	hash := billbridge.HashAPIKey(token)
	now := h.Clock.Now()
	s, err := h.Store.FindSession(ctx, hash, now)
	switch {
	case billbridge.ErrorCode(err) == billbridge.ENOTFOUND:
		h.toLogin(c, "expired")
		return
	case err != nil:
		h.fail(c, "login", err, nil)
		c.Abort()
		return
	case s.ExpiredAt(now):
		if err := h.Store.DeleteSession(ctx, hash); err != nil {
			h.Logger.WarnContext(ctx, "deleting an expired console session failed", "err", err)
		}
		h.toLogin(c, "expired")
		return
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		if err := h.Store.TouchSession(ctx, hash, now); err != nil {
			h.Logger.WarnContext(ctx, "recording a console session's use failed", "err", err)
		}
	}
	c.Set(keySession, &session{Session: s, token: token})
	web.SetAccount(c, s.Account)
	if c.Request.Method == http.MethodPost && !csrfOK(c, token) {
		h.render(c, http.StatusForbidden, "denied", view{Error: "err_csrf"})
		c.Abort()
		return
	}
	c.Next()
}

// toLogin ends the request with a redirect to the sign-in form (a
// notice says why), forgetting the session cookie.
func (h *Handler) toLogin(c *gin.Context, why string) {
	setCookie(c, sessionCookie, "", -1)
	seeOther(c, "/console/login", why)
	c.Abort()
}

// Logout ends the session (POST /console/logout).
func (h *Handler) Logout(c *gin.Context) {
	s := sessionOf(c)
	if err := h.Store.DeleteSession(c.Request.Context(), s.TokenHash); err != nil {
		h.fail(c, "overview", err, nil)
		return
	}
	setCookie(c, sessionCookie, "", -1)
	seeOther(c, "/console/login", "signed_out")
}

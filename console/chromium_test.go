package console_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
	"billbridge/webhook"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestConsoleInChromium drives the console in headless Chromium as an
// owner would, by keyboard: sign in, see a hook fail after its receiver
// goes down, rotate the key and see the old one refused by the API and
// by the console once its grace period is over. Screenshots go to
// $CONSOLE_SCREENSHOTS (a temporary directory when unset), as PNG. It fails when
// chromium is missing.
func TestConsoleInChromium(t *testing.T) {
	bin := testenv.Chromium(t)
	clk := testenv.NewClock(start)
	s := apitest.Start(t, apitest.Options{Clock: clk.Now, AllowPrivate: true, KeyRotationGrace: time.Hour})
	shots := os.Getenv("CONSOLE_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}

	// A receiver that works, then goes down.
	recv := apitest.NewReceiver(t)
	var hook billbridge.Hook
	s.Must(t, 201, "POST", "/v1/hooks", s.Key, map[string]any{"target_url": recv.URL + "/zap", "events": []string{"customer.created"}}).Decode(t, &hook)

	ctx, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900))...)
	defer cancel()
	ctx, cancel = chromedp.NewContext(ctx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	shot := func(name string) {
		t.Helper()
		img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), img, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	// submitBy runs a step that submits a form and waits for the next
	// page's load.
	submitBy := func(what string, step chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, step)); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	signIn := func(key string) {
		t.Helper()
		run("sign-in form", chromedp.Navigate(s.URL+"/console/login?lang=en"), chromedp.WaitVisible(chromedp.ID("api_key")))
		submitBy("sign in", chromedp.SendKeys(chromedp.ID("api_key"), key+kb.Enter))
	}

	// Sign in by keyboard; the overview shows every hook working.
	run("open the console", chromedp.Navigate(s.URL+"/console"), chromedp.WaitVisible(chromedp.ID("api_key")))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/console/login") {
		t.Fatalf("the console without a session is at %s (%v), want the sign-in form", loc, err)
	}
	shot("01-login")
	signIn(s.Key)
	if h := text("main h1"); h != "Overview" {
		t.Fatalf("after sign-in the page is %q, want Overview", h)
	}
	if got := text("#main"); !strings.Contains(got, "All webhooks are working.") {
		t.Errorf("overview before the outage: %s", got)
	}

	// Keyboard focus: the first Tab reaches the skip link, drawn with a
	// visible outline.
	run("tab to the skip link", chromedp.KeyEvent(kb.Tab))
	outline, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const e = document.activeElement; const cs = getComputedStyle(e);
		return e.className + "|" + cs.outlineStyle + "|" + cs.outlineWidth })()`))
	if err != nil {
		t.Fatal(err)
	}
	if parts := strings.Split(outline, "|"); len(parts) != 3 || parts[0] != "skip" || parts[1] == "none" || parts[2] == "0px" {
		t.Errorf("focus after Tab: %q, want the skip link with a visible outline", outline)
	}
	shot("02-focus")

	// The receiver goes down: a customer's event fails five times in a row.
	recv.SetDown(true)
	s.Must(t, 201, "POST", "/v1/customers", s.Key, map[string]any{"name": "Dupont SA"})
	d := webhook.NewDispatcher(webhook.Config{Queue: s.DB, Guard: s.Guard, Workers: 1, PerAccount: 1, PollInterval: 10 * time.Millisecond,
		Clock: clk.Now, Rand: func() float64 { return 0.5 }, Schedule: []time.Duration{time.Minute, time.Minute, time.Minute, time.Minute, time.Minute, time.Minute}})
	dctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(dctx); close(done) }()
	testenv.WaitFor(t, time.Minute, "five failed attempts recorded", func() bool {
		clk.Add(time.Minute) // each retry is due a minute after the failure before
		states, err := s.DB.HookStates(context.Background(), s.AccountID, start)
		return err == nil && len(states) == 1 && states[0].ConsecutiveFailures >= billbridge.FailingAfter
	})
	stop()
	<-done

	run("reload the overview", chromedp.Navigate(s.URL+"/console"), chromedp.WaitReady(chromedp.CSS("main h1")))
	if got := text("#main"); !strings.Contains(got, recv.URL+"/zap") || strings.Contains(got, "All webhooks are working.") {
		t.Errorf("the overview does not show the failing hook %s: %s", recv.URL, got)
	}
	shot("03-overview-failing")
	run("hooks page", chromedp.Navigate(s.URL+"/console/hooks"), chromedp.WaitReady(chromedp.CSS("main h1")))
	if got := text("#" + hook.ID); !strings.Contains(got, "failing") {
		t.Errorf("hooks page row: %q, want failing", got)
	}
	shot("04-hooks")

	// Rotate the signed-in key on the keys page, by keyboard.
	var keys apitest.List[billbridge.APIKey]
	s.Must(t, 200, "GET", "/v1/api-keys", s.Key, nil).Decode(t, &keys)
	old := keys.Data[0]
	run("keys page", chromedp.Navigate(s.URL+"/console/keys"), chromedp.WaitReady(chromedp.CSS("main h1")),
		chromedp.Focus(chromedp.CSS(`form[action="/console/keys/`+old.ID+`/rotate"] button`)))
	submitBy("rotate", chromedp.KeyEvent(kb.Enter))
	run("the new key", chromedp.WaitVisible(chromedp.ID("new-secret")))
	secret, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("new-secret")))
	if err != nil {
		t.Fatal(err)
	}
	shot("05-rotated")
	if !strings.HasPrefix(secret, billbridge.APIKeyPrefix) {
		t.Fatalf("the new key shown: %q", secret)
	}
	s.Must(t, 200, "GET", "/v1/me", s.Key, nil) // the old key works in its grace period
	clk.Add(time.Hour + time.Minute)
	s.Must(t, 401, "GET", "/v1/me", s.Key, nil)
	s.Must(t, 200, "GET", "/v1/me", secret, nil)

	// The console session of the old key is over; the old key cannot sign
	// in again, the new one can.
	run("console after the grace period", chromedp.Navigate(s.URL+"/console/keys"), chromedp.WaitVisible(chromedp.ID("api_key")))
	signIn(old.Prefix + "wrong")
	if got := text("#main"); !strings.Contains(got, "This API key is not valid.") {
		t.Errorf("a wrong key: %s", got)
	}
	signIn(s.Key)
	if got := text("#main"); !strings.Contains(got, "This API key is not valid.") {
		t.Errorf("the rotated key after its grace period signs in: %s", got)
	}
	shot("06-old-key-refused")
	signIn(secret)
	if h := text("main h1"); h != "Overview" {
		t.Errorf("the new key: page %q, want Overview", h)
	}
	t.Logf("screenshots in %s", shots)
}

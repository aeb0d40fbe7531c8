package triggers_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/smtptest"
	"billbridge/internal/testenv"
	"billbridge/smtpmail"
	"billbridge/sqlstore"
	"billbridge/triggers"
)

const smtpPassword = "Mail-Secret-42"

// instance is one gateway's alert work: its own store handle on the shared
// database, its own jobs.
type instance struct {
	alerts *triggers.AlertJob
	mails  *triggers.AlertMailJob
}

func newInstance(t *testing.T, db billbridge.Store, clk *testenv.Clock, mailer billbridge.Mailer, logger *slog.Logger) instance {
	return instance{
		alerts: &triggers.AlertJob{Store: db, Clock: clk.Now},
		mails:  &triggers.AlertMailJob{Store: db, Mailer: mailer, PublicURL: "https://billing.dupont.ch", Clock: clk.Now, Logger: logger},
	}
}

// round runs both instances' alert jobs, then their mail jobs, each pair at
// once, and returns the mail jobs' errors.
func round(t *testing.T, ins []instance) []error {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Go(func() {
			if _, err := in.alerts.RunOnce(ctx); err != nil {
				t.Errorf("alert job: %v", err)
			}
		})
	}
	wg.Wait()
	errs := make([]error, len(ins))
	for i, in := range ins {
		wg.Go(func() { _, errs[i] = in.mails.RunOnce(ctx) })
	}
	wg.Wait()
	return errs
}

// TestAlertMailsReceiverDownForAnHour: a receiver that goes down for an
// hour (test clock) brings exactly one alert mail and one recovery mail to
// a real SMTP server, with the right subject and link, although two
// instances (two store handles on one database, two pairs of jobs) run
// every round at once; the mail server being down meanwhile delays the
// recovery mail, logged without the password, and loses nothing; the
// account's feed holds one alert.fired and one alert.resolved.
func TestAlertMailsReceiverDownForAnHour(t *testing.T) {
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	apitest.EachStoreWithClock(t, start, apitest.Options{AllowPrivate: true}, func(t *testing.T, s *apitest.Server, clk *testenv.Clock) {
		mailSrv := smtptest.Start(t, smtptest.Options{StartTLS: true, User: "bb", Password: smtpPassword})
		mailer, err := smtpmail.New("smtp://bb:"+smtpPassword+"@"+mailSrv.Addr+"?tls=required", "billbridge@dupont.ch")
		if err != nil {
			t.Fatal(err)
		}
		mailer.TLS, mailer.HELO = mailSrv.RootCAs, "billbridge.test"
		var logs testenv.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, nil))

		second, err := sqlstore.Open(context.Background(), s.StoreURL, "Europe/Zurich", slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		second.SetClock(clk.Now)
		t.Cleanup(func() { second.Close() })
		ins := []instance{newInstance(t, s.DB, clk, mailer, logger), newInstance(t, second, clk, mailer, logger)}

		recv := apitest.NewReceiver(t)
		recv.SetDown(true)

		c := apitest.NewClient(t, s)
		c.Must(t, 200, "PUT", "/v1/settings/alerts", map[string]any{"emails": []string{"owner@dupont.ch", "ops@dupont.ch"}, "silence_hours": 24}, nil)
		var hook billbridge.Hook
		c.Must(t, 201, "POST", "/v1/hooks", map[string]any{"target_url": recv.URL + "/hook", "events": []any{"customer.created"}}, &hook)
		for _, name := range []string{"Eins AG", "Zwei AG", "Drei AG", "Vier AG", "Fünf AG"} {
			c.Customer(t, name)
		}
		// The receiver is down: 5 attempts fail.
		apitest.DeliverUntil(t, s, clk, func() bool { return recv.Hits() >= 5 })
		for range 3 {
			for _, err := range round(t, ins) {
				if err != nil {
					t.Fatalf("mail job: %v", err)
				}
			}
		}
		msgs := mailSrv.Messages()
		if len(msgs) != 1 {
			t.Fatalf("%d alert mails after the hook failed, want 1: %+v", len(msgs), msgs)
		}
		wantSubject := "[billbridge] Hook failing (" + hook.ID + ") — " + t.Name()
		if m := msgs[0]; m.Subject != wantSubject || !strings.Contains(m.Body, "https://billing.dupont.ch/console/hooks") ||
			!strings.Contains(m.Body, recv.URL+"/hook failed 5 times in a row") || len(m.To) != 2 {
			t.Fatalf("alert mail: subject %q to %v body:\n%s", m.Subject, m.To, m.Body)
		}

		// An hour later the receiver is back; the mail server is down.
		clk.Add(time.Hour)
		recv.SetDown(false)
		apitest.DeliverUntil(t, s, clk, func() bool { return recv.Hits() >= 10 })
		mailSrv.Stop()
		errs := round(t, ins)
		if errs[0] == nil && errs[1] == nil {
			t.Fatal("the mail server is down, yet no mail job failed")
		}
		if n := len(mailSrv.Messages()); n != 1 {
			t.Fatalf("%d mails while the server was down", n)
		}
		if strings.Contains(logs.String(), smtpPassword) || !strings.Contains(logs.String(), "alert mail not sent") {
			t.Fatalf("log: want the failure without the password:\n%s", logs.String())
		}
		// Back up: the recovery mail waits for its retry pause, then goes out once.
		mailSrv.Restart()
		round(t, ins)
		if n := len(mailSrv.Messages()); n != 1 {
			t.Fatalf("%d mails before the retry pause ended", n)
		}
		clk.Add(triggers.RetryPause(0))
		for range 3 {
			for _, err := range round(t, ins) {
				if err != nil {
					t.Fatalf("mail job: %v", err)
				}
			}
		}
		msgs = mailSrv.Messages()
		if len(msgs) != 2 {
			t.Fatalf("%d mails in all, want the alert and one recovery: %+v", len(msgs), msgs)
		}
		if m := msgs[1]; m.Subject != "[billbridge] Resolved: "+wantSubject[len("[billbridge] "):] || !strings.Contains(m.Body, "https://billing.dupont.ch/console/hooks") {
			t.Fatalf("recovery mail: subject %q body:\n%s", m.Subject, m.Body)
		}

		// A day later nothing more goes out: the alert is resolved.
		clk.Add(25 * time.Hour)
		round(t, ins)
		if n := len(mailSrv.Messages()); n != 2 {
			t.Fatalf("%d mails a day later, want 2", n)
		}
		f := events(t, s, c.Key, "?type=alert.fired,alert.resolved&order=asc")
		if len(f.Data) != 2 || f.Data[0].Type != billbridge.AlertFired || f.Data[1].Type != billbridge.AlertResolved ||
			!strings.Contains(string(f.Data[0].Data), `"subject":"`+hook.ID+`"`) {
			t.Fatalf("alert events: %+v", f.Data)
		}
	})
}

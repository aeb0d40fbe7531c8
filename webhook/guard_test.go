package webhook

import (
	"errors"
	"net/netip"
	"testing"

	"billbridge"
)

func newFakeResolver() *fakeResolver {
	return &fakeResolver{hosts: map[string][]string{
		"hooks.example.com":  {"93.184.216.34"},
		"v6.example.com":     {"2606:2800:220:1:248:1893:25c8:1946"},
		"rebind.example.com": {"127.0.0.1"},
		"mixed.example.com":  {"93.184.216.34", "10.0.0.1"},
		"meta.example.com":   {"169.254.169.254"},
	}}
}

func TestGuardCheckURL(t *testing.T) {
	tests := []struct {
		url     string
		strict  bool // accepted with AllowPrivate=false
		private bool // accepted with AllowPrivate=true
	}{
		{"http://127.0.0.1/hook", false, true},
		{"http://127.0.0.2:8080/hook", false, true},
		{"http://10.0.0.8/", false, true},
		{"http://172.16.0.1/", false, true},
		{"http://192.168.1.1/", false, true},
		{"http://169.254.169.254/latest/meta-data/", false, true},
		{"http://[::1]/", false, true},
		{"http://[fe80::1]/", false, true},
		{"http://[fe80::1%25eth0]/", false, true},
		{"http://[fc00::1]/", false, true},
		{"http://[fd12:3456::1]/", false, true},
		{"http://0.0.0.0/", false, true},
		{"http://[::]/", false, true},
		{"http://localhost/", false, true},
		{"http://LOCALHOST.:3000/", false, true},
		{"http://api.localhost/", false, true},
		{"http://rebind.example.com/", false, true},
		{"http://meta.example.com/", false, true},
		{"http://mixed.example.com/", false, true},
		{"http://[::ffff:127.0.0.1]/", false, true},
		{"http://[::ffff:169.254.169.254]/", false, true},
		{"http://[64:ff9b::a00:1]/", false, true},   // NAT64 of 10.0.0.1
		{"http://[2002:c0a8:101::1]/", false, true}, // 6to4 of 192.168.1.1
		{"http://100.64.0.1/", false, true},
		{"http://[::ffff:100.64.0.1]/", false, true},
		{"http://224.0.0.1/", false, true},
		{"http://[ff02::1]/", false, true},
		{"http://255.255.255.255/", false, true},
		{"http://unknown.example.com/", false, true}, // does not resolve
		{"https://hooks.example.com/hooks/standard/1/abc/", true, true},
		{"http://93.184.216.34/", true, true},
		{"https://v6.example.com/", true, true},
		{"https://[2606:2800:220:1:248:1893:25c8:1946]:8443/x", true, true},
		{"http://[64:ff9b::5db8:d822]/", true, true}, // NAT64 of 93.184.216.34
		{"ftp://hooks.example.com/", false, false},
		{"javascript:alert(1)", false, false},
		{"//hooks.example.com/x", false, false},
		{"hooks.example.com/x", false, false},
		{"http:///x", false, false},
		{"https://:443/x", false, false},
		{"http://[::1", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		for _, allow := range []bool{false, true} {
			g := Guard{AllowPrivate: allow, Resolver: newFakeResolver()}
			want := tt.strict
			if allow {
				want = tt.private
			}
			err := g.CheckURL(t.Context(), tt.url)
			if want {
				if err != nil {
					t.Errorf("AllowPrivate=%v CheckURL(%q) = %v, want nil", allow, tt.url, err)
				}
				continue
			}
			var e *billbridge.Error
			if !errors.As(err, &e) || e.Code != billbridge.EINVALID || len(e.Fields) != 1 || e.Fields[0].Name != "target_url" {
				t.Errorf("AllowPrivate=%v CheckURL(%q) = %#v, want EINVALID on target_url", allow, tt.url, err)
			}
		}
	}
}

func TestGuardDialRefusesRebinding(t *testing.T) {
	r := newFakeResolver()
	r.set("rebind.example.com", "93.184.216.34")
	var rec recordingDialer
	g := Guard{Resolver: r, Dial: rec.dial}
	if err := g.CheckURL(t.Context(), "http://rebind.example.com/hook"); err != nil {
		t.Fatalf("CheckURL with a public answer: %v", err)
	}
	r.set("rebind.example.com", "127.0.0.1")
	conn, err := g.DialContext(t.Context(), "tcp", "rebind.example.com:80")
	if conn != nil {
		conn.Close()
	}
	if !errors.Is(err, ErrRefusedAddress) {
		t.Fatalf("dial after rebinding to loopback: %v, want ErrRefusedAddress", err)
	}
	for _, addr := range []string{"169.254.169.254:80", "[::ffff:10.0.0.1]:443", "localhost:80"} {
		if _, err := g.DialContext(t.Context(), "tcp", addr); !errors.Is(err, ErrRefusedAddress) {
			t.Errorf("dial %s: %v, want ErrRefusedAddress", addr, err)
		}
	}
	if got := rec.dialed(); len(got) != 0 {
		t.Fatalf("refused dials reached the dialer: %v", got)
	}
}

func TestGuardDialConnectsToCheckedAddress(t *testing.T) {
	r := newFakeResolver()
	var rec recordingDialer
	g := Guard{Resolver: r, Dial: rec.dial}
	// The recording dialer refuses anything but loopback, so the dial
	// fails; what matters is the address it was asked for.
	_, _ = g.DialContext(t.Context(), "tcp", "hooks.example.com:443")
	if got := rec.dialed(); len(got) != 1 || got[0] != "93.184.216.34:443" {
		t.Fatalf("dialed %v, want [93.184.216.34:443]", got)
	}
}

func TestGuardControl(t *testing.T) {
	strict, open := Guard{}, Guard{AllowPrivate: true}
	for _, addr := range []string{"127.0.0.1:80", "10.1.2.3:443", "169.254.169.254:80", "[::1]:80", "[::ffff:192.168.0.1]:80", "100.64.0.1:80", "nonsense"} {
		if err := strict.Control("tcp", addr, nil); !errors.Is(err, ErrRefusedAddress) {
			t.Errorf("Control(%s) = %v, want ErrRefusedAddress", addr, err)
		}
		if addr != "nonsense" {
			if err := open.Control("tcp", addr, nil); err != nil {
				t.Errorf("AllowPrivate Control(%s) = %v", addr, err)
			}
		}
	}
	for _, addr := range []string{"93.184.216.34:443", "[2606:2800:220:1:248:1893:25c8:1946]:443"} {
		if err := strict.Control("tcp", addr, nil); err != nil {
			t.Errorf("Control(%s) = %v, want nil", addr, err)
		}
	}
}

func TestInternalPublicAddresses(t *testing.T) {
	for _, s := range []string{"1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.0", "172.32.0.1", "169.253.255.255", "2a00:1450:4001::1"} {
		if internal(netip.MustParseAddr(s)) {
			t.Errorf("internal(%s) = true, want false", s)
		}
	}
}

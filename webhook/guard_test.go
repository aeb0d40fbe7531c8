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

// TestGlobalUnicastAllowlist walks the IANA IPv4 and IPv6 special-purpose
// registries: the first, a middle and the last address of every block are
// refused, and globally routable unicast addresses right next to them pass.
func TestGlobalUnicastAllowlist(t *testing.T) {
	refused := []string{
		// IPv4 special-purpose registry.
		"0.0.0.0", "0.1.2.3", "0.255.255.255",
		"10.0.0.0", "10.255.255.255",
		"100.64.0.0", "100.100.100.100", "100.127.255.255",
		"127.0.0.1", "127.255.255.255",
		"169.254.0.0", "169.254.169.254", "169.254.255.255",
		"172.16.0.0", "172.31.255.255",
		"192.0.0.0", "192.0.0.9", "192.0.0.10", "192.0.0.170", "192.0.0.255",
		"192.0.2.0", "192.0.2.2", "192.0.2.255", // TEST-NET-1 (this test host's own address)
		"192.31.196.0", "192.31.196.255", // AS112-v4
		"192.52.193.0", "192.52.193.255", // AMT
		"192.88.99.0", "192.88.99.1", "192.88.99.255", // 6to4 relay anycast
		"192.168.0.0", "192.168.255.255",
		"192.175.48.0", "192.175.48.255", // AS112 direct delegation
		"198.18.0.0", "198.19.255.255", // benchmarking
		"198.51.100.0", "198.51.100.7", "198.51.100.255", // TEST-NET-2
		"203.0.113.0", "203.0.113.99", "203.0.113.255", // TEST-NET-3
		"224.0.0.1", "239.255.255.255", // multicast
		"240.0.0.1", "255.255.255.254", "255.255.255.255",
		// IPv6 special-purpose registry.
		"::", "::1",
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:192.0.2.1", "::ffff:198.51.100.1", // IPv4-mapped
		"::ffff:0:7f00:1", "::ffff:0:a00:1", // IPv4-translated (SIIT)
		"::127.0.0.1", "::8.8.8.8", // IPv4-compatible (deprecated)
		"64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::c000:201", // NAT64 of internal IPv4
		"64:ff9b:1::1", "64:ff9b:1:ffff::1", // local-use NAT64
		"100::", "100::ffff:ffff:ffff:ffff", // discard-only
		"100:0:0:1::1",                                              // dummy prefix
		"2001::", "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", // Teredo
		"2001:1::1", "2001:1::2", "2001:2::1", "2001:3::1", "2001:4:112::1", "2001:10::1", "2001:20::1", "2001:30::1", "2001:1ff:ffff::1", // IETF assignments
		"2001:db8::", "2001:db8::1", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", // documentation
		"2002::1", "2002:c0a8:101::1", "2002:5db8:d822::1", // 6to4, internal or not
		"2620:4f:8000::1",             // AS112 direct delegation
		"3fff::1", "3fff:fff:ffff::1", // documentation
		"5f00::1",                            // SRv6 SIDs
		"fc00::1", "fd12:3456::1", "fdff::1", // unique local
		"fe80::1", "febf::1", // link-local
		"fec0::1",            // site-local
		"ff02::1", "ff0e::1", // multicast
		"4000::1", "8000::1", "e000::1", // unassigned outside 2000::/3
		"2606:2800:220:1:248:1893:25c8:1946%eth0", // zoned
	}
	allowed := []string{
		"1.1.1.1", "8.8.8.8", "93.184.216.34",
		"9.255.255.255", "11.0.0.0", // around 10/8
		"100.63.255.255", "100.128.0.0", // around 100.64/10
		"169.253.255.255", "169.255.0.0",
		"172.15.255.255", "172.32.0.1",
		"192.0.1.255", "192.0.3.0", // around 192.0.0/24 and 192.0.2/24
		"192.88.98.255", "192.88.100.0",
		"198.17.255.255", "198.20.0.0",
		"198.51.99.255", "198.51.101.0",
		"203.0.112.255", "203.0.114.0",
		"223.255.255.255",
		"::ffff:93.184.216.34", // IPv4-mapped public
		"64:ff9b::5db8:d822",   // NAT64 of 93.184.216.34
		"2001:200::1", "2001:4860:4860::8888", "2001:db7:ffff::1", "2001:db9::1",
		"2003::1", "2606:2800:220:1:248:1893:25c8:1946", "2a00:1450:4001::1",
		"2620:4f:7fff::1", "2620:4f:8001::1", "3ffe::1", "3fff:1000::1",
	}
	for _, s := range refused {
		if !internal(netip.MustParseAddr(s)) {
			t.Errorf("internal(%s) = false, want true (special-purpose)", s)
		}
	}
	for _, s := range allowed {
		if internal(netip.MustParseAddr(s)) {
			t.Errorf("internal(%s) = true, want false (globally routable unicast)", s)
		}
	}
}

// TestGuardRefusesSpecialPurposeAtSubscribeAndDial: the registry blocks the
// old blocklist let through are refused by CheckURL (subscribe time) and by
// DialContext and Control (dial time), also when a name resolves there.
func TestGuardRefusesSpecialPurposeAtSubscribeAndDial(t *testing.T) {
	r := newFakeResolver()
	for _, a := range []string{"192.0.2.2", "198.51.100.1", "203.0.113.5", "192.88.99.1", "2001:db8::1", "2001::1", "::ffff:0:7f00:1", "3fff::1"} {
		r.set("doc.example.com", a)
		var rec recordingDialer
		g := Guard{Resolver: r, Dial: rec.dial}
		lit := a
		if netip.MustParseAddr(a).Is6() {
			lit = "[" + a + "]"
		}
		for _, u := range []string{"https://" + lit + "/hook", "https://doc.example.com/hook"} {
			var e *billbridge.Error
			if err := g.CheckURL(t.Context(), u); !errors.As(err, &e) || e.Code != billbridge.EINVALID {
				t.Errorf("CheckURL(%s) with %s = %v, want EINVALID", u, a, err)
			}
		}
		for _, addr := range []string{lit + ":443", "doc.example.com:443"} {
			if _, err := g.DialContext(t.Context(), "tcp", addr); !errors.Is(err, ErrRefusedAddress) {
				t.Errorf("DialContext(%s) with %s = %v, want ErrRefusedAddress", addr, a, err)
			}
		}
		if err := g.Control("tcp", lit+":443", nil); !errors.Is(err, ErrRefusedAddress) {
			t.Errorf("Control(%s) = %v, want ErrRefusedAddress", lit, err)
		}
		if got := rec.dialed(); len(got) != 0 {
			t.Errorf("refused %s reached the dialer: %v", a, got)
		}
		// The explicit escape hatch for local receivers still lets it through.
		if err := (Guard{AllowPrivate: true, Resolver: r}).CheckURL(t.Context(), "https://doc.example.com/hook"); err != nil {
			t.Errorf("AllowPrivate CheckURL with %s = %v", a, err)
		}
	}
}

package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"

	"billbridge"
)

// ErrRefusedAddress is wrapped by the dial errors of a Guard that refuses
// to connect to a loopback, private, link-local or otherwise internal address.
var ErrRefusedAddress = errors.New("webhook: refused internal address")

// Resolver looks host names up. *net.Resolver satisfies it; tests pass a
// fake to make a name resolve anywhere without touching /etc/hosts.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// Guard keeps hook deliveries out of the gateway's own network (SSRF): no
// loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 with cloud
// metadata at 169.254.169.254, fe80::/10), unspecified, multicast, CGNAT
// (100.64/10) or reserved addresses, nor IPv4-mapped or embedded forms of
// them, and no "localhost". CheckURL applies it when a hook is created and
// DialContext again on every connection, since DNS answers can change
// (rebinding). The zero Guard is strict and uses the system resolver.
type Guard struct {
	// AllowPrivate turns the address checks off (local development and
	// tests, BILLBRIDGE_HOOKS_ALLOW_PRIVATE=true). Scheme and host are
	// still checked.
	AllowPrivate bool
	// Resolver resolves host names; nil means net.DefaultResolver.
	Resolver Resolver
	// Dial connects to an already checked "ip:port"; nil means a
	// net.Dialer whose Control hook checks the address once more.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
}

// Reasons given to clients for a refused target_url.
const (
	reasonScheme   = "must be an absolute http or https URL"
	reasonHost     = "must name a host"
	reasonInternal = "must not point to a loopback, private, link-local or other internal address"
	reasonResolve  = "host name could not be resolved"
)

// CheckURL reports whether raw may be used as a hook's target URL: an
// absolute http or https URL with a host that is not "localhost" and whose
// literal IP, or every address it resolves to, is public. A refusal is a
// *billbridge.Error with code EINVALID naming the field "target_url"; only
// a cancelled ctx returns another error.
func (g Guard) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return billbridge.Invalid("target_url", reasonScheme)
	}
	host := u.Hostname()
	if host == "" {
		return billbridge.Invalid("target_url", reasonHost)
	}
	if g.AllowPrivate {
		return nil
	}
	if isLocalhost(host) {
		return billbridge.Invalid("target_url", reasonInternal)
	}
	addrs, err := g.lookup(ctx, host)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return billbridge.Invalid("target_url", reasonResolve)
	}
	for _, a := range addrs {
		if internal(a) {
			return billbridge.Invalid("target_url", reasonInternal)
		}
	}
	return nil
}

// DialContext connects like net.Dialer.DialContext, for http.Transport,
// after resolving the host itself and refusing (with ErrRefusedAddress)
// when any address it resolves to is internal. The dialer's Control hook
// checks the address of the actual connection too.
func (g Guard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	if !g.AllowPrivate && isLocalhost(host) {
		return nil, fmt.Errorf("%w: %s", ErrRefusedAddress, host)
	}
	addrs, err := g.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	if !g.AllowPrivate {
		for _, a := range addrs {
			if internal(a) {
				return nil, fmt.Errorf("%w: %s resolves to %s", ErrRefusedAddress, host, a)
			}
		}
	}
	dial := g.Dial
	if dial == nil {
		dial = (&net.Dialer{Control: g.Control}).DialContext
	}
	var firstErr error
	for _, a := range addrs {
		conn, err := dial(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// Control is a net.Dialer Control hook that refuses a connection to an
// internal address, checked on the address actually being connected to.
func (g Guard) Control(network, address string, _ syscall.RawConn) error {
	if g.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable address %q", ErrRefusedAddress, address)
	}
	if internal(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrRefusedAddress, ap.Addr())
	}
	return nil
}

// lookup returns the addresses of host: itself when it is an IP literal.
func (g Guard) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	r := g.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ips, err := r.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	addrs := make([]netip.Addr, 0, len(ips))
	for _, ip := range ips {
		a, ok := netip.AddrFromSlice(ip.IP)
		if !ok {
			return nil, fmt.Errorf("webhook: resolver returned a malformed address for %s", host)
		}
		addrs = append(addrs, a.Unmap())
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("webhook: %s has no addresses", host)
	}
	return addrs, nil
}

// isLocalhost reports whether host is "localhost" or a name under it
// (RFC 6761), which resolvers may answer locally whatever DNS says.
func isLocalhost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	return h == "localhost" || strings.HasSuffix(h, ".localhost")
}

// reserved lists internal ranges the netip predicates do not cover.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, broadcast
	netip.MustParsePrefix("::/96"),          // IPv4-compatible (deprecated)
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("100::/64"),       // discard-only
	netip.MustParsePrefix("fec0::/10"),      // site-local (deprecated)
}

// Prefixes of IPv6 addresses that carry an IPv4 address, and where.
var (
	nat64  = netip.MustParsePrefix("64:ff9b::/96") // last 4 bytes
	sixTo4 = netip.MustParsePrefix("2002::/16")    // bytes 2–5
)

// internal reports whether a is an address a hook must never reach.
func internal(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsUnspecified() ||
		a.IsLinkLocalUnicast() || a.IsMulticast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range reserved {
		if p.Contains(a) {
			return true
		}
	}
	b := a.As16()
	switch {
	case nat64.Contains(a):
		return internal(netip.AddrFrom4([4]byte(b[12:16])))
	case sixTo4.Contains(a):
		return internal(netip.AddrFrom4([4]byte(b[2:6])))
	}
	return false
}

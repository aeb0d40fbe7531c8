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
// to connect to an address that is not globally routable unicast.
var ErrRefusedAddress = errors.New("webhook: refused internal address")

// Resolver looks host names up. *net.Resolver satisfies it; tests pass a
// fake to make a name resolve anywhere without touching /etc/hosts.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// Guard keeps hook deliveries out of the gateway's own network (SSRF): it
// allows only globally routable unicast addresses and refuses every
// special-purpose block of the IANA IPv4 and IPv6 registries (loopback,
// private, link-local with cloud metadata at 169.254.169.254, CGNAT,
// documentation and benchmarking ranges, 6to4 and Teredo, ULA, multicast,
// reserved), IPv4-mapped forms of them, and "localhost". CheckURL applies it when a hook is created and
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
	reasonInternal = "must point to a globally routable address (not loopback, private, link-local, documentation or another special-purpose range)"
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

// specialV4 is every block of the IANA IPv4 Special-Purpose Address
// Registry (RFC 6890 and updates, as of 2025), plus multicast (224.0.0.0/4)
// and the reserved class E space, which are not unicast at all. Blocks the
// registry marks as globally reachable (AS112, AMT, the 192.0.0.9 and
// 192.0.0.10 anycast services) are refused too: no hook receiver lives there.
var specialV4 = prefixes(
	"0.0.0.0/8",          // "this network" (RFC 791)
	"10.0.0.0/8",         // private-use (RFC 1918)
	"100.64.0.0/10",      // shared address space, carrier-grade NAT (RFC 6598)
	"127.0.0.0/8",        // loopback (RFC 1122)
	"169.254.0.0/16",     // link local, cloud metadata (RFC 3927)
	"172.16.0.0/12",      // private-use (RFC 1918)
	"192.0.0.0/24",       // IETF protocol assignments (RFC 6890)
	"192.0.2.0/24",       // documentation, TEST-NET-1 (RFC 5737)
	"192.31.196.0/24",    // AS112-v4 (RFC 7535)
	"192.52.193.0/24",    // AMT (RFC 7450)
	"192.88.99.0/24",     // deprecated 6to4 relay anycast (RFC 7526)
	"192.168.0.0/16",     // private-use (RFC 1918)
	"192.175.48.0/24",    // direct delegation AS112 service (RFC 7534)
	"198.18.0.0/15",      // benchmarking (RFC 2544)
	"198.51.100.0/24",    // documentation, TEST-NET-2 (RFC 5737)
	"203.0.113.0/24",     // documentation, TEST-NET-3 (RFC 5737)
	"224.0.0.0/4",        // multicast (RFC 5771)
	"240.0.0.0/4",        // reserved (RFC 1112), includes broadcast
	"255.255.255.255/32", // limited broadcast (RFC 919)
)

// globalV6 is the IPv6 global unicast space (RFC 4291); everything outside
// it (loopback, unspecified, IPv4-compatible and -translated forms, ULA,
// link-local, site-local, multicast, discard-only, SRv6 SIDs) is refused.
var globalV6 = netip.MustParsePrefix("2000::/3")

// specialV6 is every block of the IANA IPv6 Special-Purpose Address
// Registry that lies inside globalV6, all refused, however the registry
// marks its reachability: Teredo and ORCHID tunnel into other networks,
// 6to4 embeds an IPv4 address the gateway would not check.
var specialV6 = prefixes(
	"2001::/23",         // IETF protocol assignments: Teredo 2001::/32, benchmarking, AMT, AS112, ORCHIDv2, DET (RFC 2928)
	"2001:db8::/32",     // documentation (RFC 3849)
	"2002::/16",         // 6to4 (RFC 3056)
	"2620:4f:8000::/48", // direct delegation AS112 service (RFC 7534)
	"3fff::/20",         // documentation (RFC 9637)
)

// nat64 is the well-known NAT64 prefix (RFC 6052): on an IPv6-only host
// with DNS64 every IPv4-only receiver resolves into it, so an address there
// is judged by the IPv4 address in its last four bytes.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

func prefixes(s ...string) []netip.Prefix {
	ps := make([]netip.Prefix, len(s))
	for i, p := range s {
		ps[i] = netip.MustParsePrefix(p)
	}
	return ps
}

// internal reports whether a is an address a hook must never reach: the
// guard allows only globally routable unicast addresses and refuses
// everything else, so a block missing from a list errs on the side of
// refusing (an allowlist, not a blocklist).
func internal(a netip.Addr) bool {
	return !globalUnicast(a)
}

// globalUnicast reports whether a is a globally routable unicast address
// outside every special-purpose block. IPv4-mapped addresses are judged as
// the IPv4 address they carry (the socket connects to it); addresses with
// a zone are never global.
func globalUnicast(a netip.Addr) bool {
	if !a.IsValid() || a.Zone() != "" {
		return false
	}
	a = a.Unmap()
	if a.Is4() {
		return !inAny(specialV4, a)
	}
	if nat64.Contains(a) {
		b := a.As16()
		return globalUnicast(netip.AddrFrom4([4]byte(b[12:16])))
	}
	return globalV6.Contains(a) && !inAny(specialV6, a)
}

func inAny(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

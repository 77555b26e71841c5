//! Who is asking, for throttles: the peer address, or — only when the peer
//! is a proxy the operator named (`--trusted-proxy`) — the client address
//! that proxy reports in `X-Forwarded-For`. IPv6 clients are grouped by
//! their /64 (one subscriber's prefix), so hopping addresses inside it does
//! not reset a throttle.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::http::HeaderMap;

/// The client's address as the throttles should see it.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = canonical(peer.ip());
    if !trusted.contains(&peer) {
        return peer;
    }
    // Right to left: the nearest hop that is not one of our proxies.
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(',').map(str::trim).collect::<Vec<_>>())
        .filter_map(|s| s.parse::<IpAddr>().ok().map(canonical))
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

/// The throttle key of an address: IPv4 as is, IPv6 by its /64.
pub fn throttle_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{prefix}/64")
        }
    }
}

/// IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn ipv6_addresses_of_one_prefix_share_a_key() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(throttle_key(a), throttle_key(b));
        assert_ne!(throttle_key(a), throttle_key(c));
        assert_eq!(throttle_key("203.0.113.9".parse().unwrap()), "203.0.113.9");
        assert_eq!(
            throttle_key("::ffff:203.0.113.9".parse().unwrap()),
            "203.0.113.9"
        );
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let peer: SocketAddr = "10.0.0.5:443".parse().unwrap();
        let h = headers("198.51.100.7, 203.0.113.1");
        // Not configured: the header is anyone's to forge.
        assert_eq!(
            client_ip(peer, &h, &[]),
            "10.0.0.5".parse::<IpAddr>().unwrap()
        );
        // Our proxy: the nearest untrusted hop.
        let trusted = ["10.0.0.5".parse().unwrap()];
        assert_eq!(
            client_ip(peer, &h, &trusted),
            "203.0.113.1".parse::<IpAddr>().unwrap()
        );
        // Two proxies of ours in a row.
        let both = ["10.0.0.5".parse().unwrap(), "203.0.113.1".parse().unwrap()];
        assert_eq!(
            client_ip(peer, &h, &both),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        // A trusted proxy that forwards nothing usable: the proxy itself.
        assert_eq!(
            client_ip(peer, &headers("junk"), &trusted),
            "10.0.0.5".parse::<IpAddr>().unwrap()
        );
    }
}

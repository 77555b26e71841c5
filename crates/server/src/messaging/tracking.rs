//! Telling a person's open from a machine's. Mail privacy proxies (Apple
//! Mail Privacy Protection fetches every image from Apple's network as
//! soon as mail arrives), image caches (Gmail's, Yahoo's) and security
//! scanners load the open pixel without anyone reading: such opens are
//! recorded as `machine_open` and left out of open rates.

use std::net::IpAddr;

/// An open this soon after sending is a prefetch, not a reader.
pub const MACHINE_OPEN_SECS: i64 = 10;

/// User agents of image proxies and link scanners.
const PROXY_AGENTS: [&str; 8] = [
    "googleimageproxy",
    "ggpht.com",
    "yahoomailproxy",
    "barracuda",
    "mimecast",
    "proofpoint",
    "bingpreview",
    "symantec",
];

/// Whether an open `secs_since_sent` after sending, from `user_agent` at
/// `ip`, was a machine's.
pub fn machine_open(secs_since_sent: Option<i64>, user_agent: &str, ip: Option<IpAddr>) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    // Apple's network (17.0.0.0/8) is where Mail Privacy Protection fetches from.
    let apple = matches!(ip, Some(IpAddr::V4(v4)) if v4.octets()[0] == 17);
    secs_since_sent.is_some_and(|s| s < MACHINE_OPEN_SECS)
        || PROXY_AGENTS.iter().any(|p| ua.contains(p))
        || apple
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefetches_proxies_and_apples_network_are_machines() {
        let home: IpAddr = "203.0.113.9".parse().unwrap();
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert!(!machine_open(Some(3_600), firefox, Some(home)));
        assert!(
            machine_open(Some(2), firefox, Some(home)),
            "seconds after delivery"
        );
        assert!(machine_open(
            Some(3_600),
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
            Some(home)
        ));
        assert!(machine_open(
            Some(3_600),
            "Mozilla/5.0",
            Some("17.58.1.4".parse().unwrap())
        ));
    }
}

//! Signed links in messages: an unsubscribe token names the message, the
//! member and the topic, and when it stops working; tracking tokens name
//! the message (and the link of a click). An HMAC-SHA256 over that with the
//! server's key (kept in the database, see `store::messaging::secrets`)
//! makes them unforgeable. A tampered, unknown or expired token is refused
//! and changes nothing.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use patron_core::messaging::Topic;
use sha2::Sha256;

/// How long an unsubscribe link works after it was sent.
pub const UNSUBSCRIBE_DAYS: i64 = 365;

/// What an unsubscribe token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribe {
    pub message_id: i64,
    pub member_id: i64,
    pub topic: Topic,
    /// Unix seconds after which the link no longer works.
    pub expires_at: i64,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not ours, or altered.
    Invalid,
    Expired,
}

fn mac(key: &[u8], payload: &[u8]) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(payload);
    m
}

/// `payload` signed with `key`: `base64url(payload).base64url(mac)`.
pub fn sign_text(key: &[u8], payload: &str) -> String {
    let sig = mac(key, payload.as_bytes()).finalize().into_bytes();
    format!("{}.{}", B64.encode(payload), B64.encode(sig))
}

/// The payload of `token` if `key` signed it.
pub fn verify_text(key: &[u8], token: &str) -> Option<String> {
    let (payload, sig) = token.split_once('.')?;
    let payload = B64.decode(payload).ok()?;
    let sig = B64.decode(sig).ok()?;
    mac(key, &payload).verify_slice(&sig).ok()?;
    String::from_utf8(payload).ok()
}

/// The token for `u`, signed with `key`.
pub fn sign(key: &[u8], u: &Unsubscribe) -> String {
    let payload = format!(
        "u1.{}.{}.{}.{}",
        u.message_id,
        u.member_id,
        u.topic.as_str(),
        u.expires_at
    );
    sign_text(key, &payload)
}

/// What `token` says, if `key` signed it and it has not expired at `now`.
pub fn verify(key: &[u8], token: &str, now: i64) -> Result<Unsubscribe, TokenError> {
    let text = verify_text(key, token).ok_or(TokenError::Invalid)?;
    let parts: Vec<&str> = text.split('.').collect();
    let [version, message, member, topic, expires] = parts.as_slice() else {
        return Err(TokenError::Invalid);
    };
    if *version != "u1" {
        return Err(TokenError::Invalid);
    }
    let u = Unsubscribe {
        message_id: message.parse().map_err(|_| TokenError::Invalid)?,
        member_id: member.parse().map_err(|_| TokenError::Invalid)?,
        topic: Topic::parse(topic).ok_or(TokenError::Invalid)?,
        expires_at: expires.parse().map_err(|_| TokenError::Invalid)?,
    };
    if now > u.expires_at {
        return Err(TokenError::Expired);
    }
    Ok(u)
}

/// A tracking token: what happened (`o` open, `c` click) to message `id`,
/// and the link of a click.
pub fn tracking(key: &[u8], kind: char, id: i64, link: &str) -> String {
    sign_text(key, &format!("{kind}1.{id}.{link}"))
}

/// What a tracking token says: its kind, message and link.
pub fn read_tracking(key: &[u8], token: &str) -> Option<(char, i64, String)> {
    let text = verify_text(key, token)?;
    let mut parts = text.splitn(3, '.');
    let kind = match parts.next()? {
        "o1" => 'o',
        "c1" => 'c',
        _ => return None,
    };
    let id = parts.next()?.parse().ok()?;
    Some((kind, id, parts.next().unwrap_or_default().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u() -> Unsubscribe {
        Unsubscribe {
            message_id: 7,
            member_id: 42,
            topic: Topic::PointsReminders,
            expires_at: 1_000,
        }
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let t = sign(b"key", &u());
        assert_eq!(verify(b"key", &t, 999), Ok(u()));
        assert_eq!(verify(b"key", &t, 1_000), Ok(u()));
        assert_eq!(verify(b"key", &t, 1_001), Err(TokenError::Expired));
    }

    #[test]
    fn another_key_or_any_changed_byte_is_refused() {
        let t = sign(b"key", &u());
        assert_eq!(verify(b"other", &t, 0), Err(TokenError::Invalid));
        let mut forged = u();
        forged.member_id = 43;
        let (_, sig) = t.split_once('.').unwrap();
        let other_payload = sign(b"attacker", &forged);
        let (payload, _) = other_payload.split_once('.').unwrap();
        assert_eq!(
            verify(b"key", &format!("{payload}.{sig}"), 0),
            Err(TokenError::Invalid)
        );
        for bad in ["", ".", "abc", "abc.def", &t[1..]] {
            assert_eq!(verify(b"key", bad, 0), Err(TokenError::Invalid), "{bad}");
        }
    }

    #[test]
    fn tracking_tokens_carry_their_link_and_are_not_unsubscribe_tokens() {
        let t = tracking(b"key", 'c', 9, "https://shop.test/a.b?c=1&d=2");
        assert_eq!(
            read_tracking(b"key", &t),
            Some(('c', 9, "https://shop.test/a.b?c=1&d=2".into()))
        );
        assert_eq!(read_tracking(b"other", &t), None);
        assert_eq!(verify(b"key", &t, 0), Err(TokenError::Invalid));
        let u = sign(b"key", &u());
        assert_eq!(read_tracking(b"key", &u), None);
    }
}

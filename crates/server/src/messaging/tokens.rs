//! Signed links in messages: an unsubscribe token names the message, the
//! member and the topic, and when it stops working; an HMAC-SHA256 over
//! that with the server's key (kept in the database, see
//! `store::messaging::secrets`) makes it unforgeable. A tampered, unknown
//! or expired token is refused and changes nothing.

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

/// The token for `u`, signed with `key`.
pub fn sign(key: &[u8], u: &Unsubscribe) -> String {
    let payload = format!(
        "u1.{}.{}.{}.{}",
        u.message_id,
        u.member_id,
        u.topic.as_str(),
        u.expires_at
    );
    let sig = mac(key, payload.as_bytes()).finalize().into_bytes();
    format!("{}.{}", B64.encode(payload), B64.encode(sig))
}

/// What `token` says, if `key` signed it and it has not expired at `now`.
pub fn verify(key: &[u8], token: &str, now: i64) -> Result<Unsubscribe, TokenError> {
    let (payload, sig) = token.split_once('.').ok_or(TokenError::Invalid)?;
    let payload = B64.decode(payload).map_err(|_| TokenError::Invalid)?;
    let sig = B64.decode(sig).map_err(|_| TokenError::Invalid)?;
    mac(key, &payload)
        .verify_slice(&sig)
        .map_err(|_| TokenError::Invalid)?;
    let text = String::from_utf8(payload).map_err(|_| TokenError::Invalid)?;
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
}

//! Referral codes, joining with one, and the referrer's list.

use crate::store::db;
use crate::store::dialect::lock_member;
use patron_core::referral::{display_name, masked_email, Referee, ReferralStatus};
use rand::Rng;
use sqlx::Row;

use super::{ts, Store};

fn new_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A new member account.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub name: String,
    pub email: String,
    pub password_hash: String,
    pub referrer_id: Option<i64>,
}

/// The referral bonuses to credit at a first purchase, if the member joined
/// through a referral not credited yet.
#[derive(Debug, Clone, Copy)]
pub struct ReferralCredit {
    pub terms: patron_core::earning::ReferralTerms,
    /// When the bonuses are credited.
    pub now: i64,
    /// Start of the programme-local day (for the referrer's daily cap).
    pub day_start: i64,
    /// When the bonus points expire (the programme's expiry rule).
    pub expires_at: Option<i64>,
}

impl Store {
    /// The member's referral code, made on first use.
    pub async fn referral_code(&self, member_id: i64) -> Result<String, sqlx::Error> {
        if let Some(code) =
            db::query_scalar::<Option<String>>("SELECT referral_code FROM members WHERE id = ?")
                .bind(member_id)
                .fetch_one(&self.pool)
                .await?
        {
            return Ok(code);
        }
        loop {
            let code = new_code();
            let res = db::query(
                "UPDATE members SET referral_code = ? WHERE id = ? AND referral_code IS NULL",
            )
            .bind(&code)
            .bind(member_id)
            .execute(&self.pool)
            .await;
            match res {
                Ok(_) => {
                    return db::query_scalar("SELECT referral_code FROM members WHERE id = ?")
                        .bind(member_id)
                        .fetch_one(&self.pool)
                        .await
                }
                // A clash with another member's code: try another.
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The member whose referral code this is.
    pub async fn member_by_referral_code(&self, code: &str) -> Result<Option<i64>, sqlx::Error> {
        db::query_scalar("SELECT id FROM members WHERE referral_code = ?")
            .bind(code.trim().to_uppercase())
            .fetch_optional(&self.pool)
            .await
    }

    /// People the member invited, newest first.
    pub async fn referees_of(&self, member_id: i64) -> Result<Vec<Referee>, sqlx::Error> {
        let rows = db::query(
            "SELECT m.name, r.created_at, r.points_awarded,
                    EXISTS (SELECT 1 FROM purchases p WHERE p.member_id = m.id) AS purchased
             FROM referrals r JOIN members m ON m.id = r.invitee_id
             WHERE r.referrer_id = ? ORDER BY r.created_at DESC, r.id DESC",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Referee {
                display_name: display_name(r.get("name")),
                status: if r.get::<db::Flag, _>("purchased").0 {
                    ReferralStatus::Purchased
                } else {
                    ReferralStatus::Joined
                },
                since: ts(r.get("created_at")),
                points_awarded: r.get("points_awarded"),
            })
            .collect())
    }

    /// Invitations by email that have not turned into this member's
    /// referrals. An address that belongs to someone who joined otherwise
    /// stays "invited": the list must not tell who is a member.
    pub async fn open_invites_of(&self, member_id: i64) -> Result<Vec<Referee>, sqlx::Error> {
        let rows = db::query(
            "SELECT i.email, i.created_at FROM referral_invites i
             WHERE i.referrer_id = ?
               AND NOT EXISTS (SELECT 1 FROM members m JOIN referrals r ON r.invitee_id = m.id
                               WHERE lower(m.email) = lower(i.email) AND r.referrer_id = i.referrer_id)
             ORDER BY i.created_at DESC, i.id DESC",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Referee {
                display_name: masked_email(r.get("email")),
                status: ReferralStatus::Invited,
                since: ts(r.get("created_at")),
                points_awarded: 0,
            })
            .collect())
    }

    /// Records an invitation, whoever the address belongs to (the answer
    /// must not tell); inviting the same email twice is harmless.
    pub async fn invite(&self, member_id: i64, email: &str, now: i64) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        db::query(
            "INSERT INTO referral_invites (referrer_id, email, created_at) VALUES (?, ?, ?)
             ON CONFLICT (referrer_id, email) DO NOTHING",
        )
        .bind(member_id)
        .bind(email.to_lowercase())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Who first invited this email, if anyone.
    pub async fn inviter_of(&self, email: &str) -> Result<Option<i64>, sqlx::Error> {
        db::query_scalar(
            "SELECT referrer_id FROM referral_invites WHERE lower(email) = lower(?)
             ORDER BY created_at, id LIMIT 1",
        )
        .bind(email)
        .fetch_optional(&self.pool)
        .await
    }

    /// Creates a member and their account; with a referrer, records the
    /// referral (one per invitee) — its bonuses come with the first
    /// purchase. Returns the new user id, or `None` when the email is taken.
    pub async fn register_member(
        &self,
        m: NewMember,
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let taken: i64 = db::query_scalar(
            "SELECT (SELECT COUNT(*) FROM users WHERE lower(email) = lower(?))
                  + (SELECT COUNT(*) FROM members WHERE lower(email) = lower(?))",
        )
        .bind(&m.email)
        .bind(&m.email)
        .fetch_one(&mut *tx)
        .await?;
        if taken > 0 {
            return Ok(None);
        }
        let lowest_tier: i64 =
            db::query_scalar("SELECT id FROM tiers WHERE active ORDER BY threshold, rank LIMIT 1")
                .fetch_one(&mut *tx)
                .await?;
        let member_id: i64 = db::query_scalar(
            "INSERT INTO members (card_number, name, email, region, city, age_band, gender, occupation,
                                  education, joined_at, status, tier_id, referred_by)
             VALUES ('pending', ?, ?, '', '', 'undisclosed', 'undisclosed', 'undisclosed', 'undisclosed',
                     ?, 'active', ?, ?) RETURNING id",
        )
        .bind(&m.name)
        .bind(&m.email)
        .bind(now)
        .bind(lowest_tier)
        .bind(m.referrer_id)
        .fetch_one(&mut *tx)
        .await?;
        db::query("UPDATE members SET card_number = ? WHERE id = ?")
            .bind(format!("8800{member_id:08}"))
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
        let user_id: i64 = db::query_scalar(
            "INSERT INTO users (email, name, role, password_hash, member_id, active, created_at)
             VALUES (?, ?, 'member', ?, ?, TRUE, ?) RETURNING id",
        )
        .bind(&m.email)
        .bind(&m.name)
        .bind(&m.password_hash)
        .bind(member_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        super::messaging::events::welcome(&mut tx, member_id, now).await?;
        // The bonuses wait for the friend's first purchase (`credit_referral_in`).
        if let Some(referrer) = m.referrer_id {
            db::query(
                "INSERT INTO referrals (referrer_id, invitee_id, status, points_awarded, created_at)
                 VALUES (?, ?, 'joined', 0, ?)",
            )
            .bind(referrer)
            .bind(member_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Some(user_id))
    }
}

impl Store {
    /// Inside a first purchase's transaction: credits the referral the
    /// member joined through, once — the friend's bonus, and the referrer's
    /// unless they already had `referrer_daily_cap` today (or are blocked).
    pub(crate) async fn credit_referral_in(
        tx: &mut super::WriteTx<'_>,
        member_id: i64,
        c: &ReferralCredit,
    ) -> Result<(), sqlx::Error> {
        let Some(r) = db::query(
            "SELECT r.id, r.referrer_id, m.name FROM referrals r JOIN members m ON m.id = r.invitee_id
             WHERE r.invitee_id = ? AND r.credited_at IS NULL",
        )
        .bind(member_id)
        .fetch_optional(&mut **tx)
        .await?
        else {
            return Ok(());
        };
        let (id, referrer): (i64, i64) = (r.get("id"), r.get("referrer_id"));
        // The referrer's balance changes too (referrals form a tree, so
        // locking invitee then referrer cannot wait in a circle).
        lock_member(tx, referrer).await?;
        let today: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM referrals WHERE referrer_id = ? AND credited_at >= ? AND points_awarded > 0",
        )
        .bind(referrer)
        .bind(c.day_start)
        .fetch_one(&mut **tx)
        .await?;
        let active: bool =
            db::query_scalar::<db::Flag>("SELECT status = 'active' FROM members WHERE id = ?")
                .bind(referrer)
                .fetch_one(&mut **tx)
                .await?
                .0;
        let referrer_points = if active && today < c.terms.referrer_daily_cap {
            c.terms.referrer_points
        } else {
            0
        };
        for (who, points, reason) in [
            (
                member_id,
                c.terms.friend_points,
                "Welcome bonus: joined with a referral".to_string(),
            ),
            (
                referrer,
                referrer_points,
                format!(
                    "Referral bonus: {} made a first purchase",
                    display_name(r.get("name"))
                ),
            ),
        ] {
            if points <= 0 {
                continue;
            }
            db::query(
                "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, reason)
                 VALUES (?, 'earn', ?, ?, ?, ?, ?)",
            )
            .bind(who)
            .bind(points)
            .bind(c.now)
            .bind(c.now)
            .bind(c.expires_at)
            .bind(reason)
            .execute(&mut **tx)
            .await?;
        }
        db::query("UPDATE referrals SET credited_at = ?, points_awarded = ? WHERE id = ?")
            .bind(c.now)
            .bind(referrer_points)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

//! Who a message goes to and whether it may go: the member's address,
//! language and time zone, their current consent for a topic, and the
//! suppression list (addresses that bounced or complained, or an admin
//! entered), with consent changes recorded with their source.

use std::collections::{HashMap, HashSet};

use patron_core::profile::Channel;
use sqlx::Row;

use crate::store::db;
use crate::store::{Store, WriteTx};

/// The member as a recipient.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub member_id: i64,
    pub name: String,
    pub email: String,
    /// `en` or `zh`.
    pub language: String,
    /// IANA zone; `None`: the programme's.
    pub time_zone: Option<String>,
    pub card_number: String,
    /// The recorded tier.
    pub tier_id: i64,
    /// An admin's lock, while it lasts.
    pub tier_locked_id: Option<i64>,
}

/// The recipient columns up to the time the tier lock is judged at …
const RECIPIENT: &str = "SELECT id, name, email, language, time_zone, card_number, tier_id,
        CASE WHEN tier_lock_until IS NULL OR tier_lock_until > ";
/// … and after it.
const RECIPIENT_FROM: &str = " THEN tier_locked_id END AS tier_locked_id FROM members WHERE id";

fn recipient_from(r: &db::DbRow) -> Recipient {
    Recipient {
        member_id: r.get("id"),
        name: r.get("name"),
        email: r.get("email"),
        language: r.get("language"),
        time_zone: r.get("time_zone"),
        card_number: r.get("card_number"),
        tier_id: r.get("tier_id"),
        tier_locked_id: r.get("tier_locked_id"),
    }
}

/// The member's newest choice for a channel.
const LATEST_CONSENT: &str =
    "SELECT granted FROM consents WHERE member_id = ? AND channel = ? ORDER BY id DESC LIMIT 1";

impl Store {
    /// Member `id` as a recipient, if it exists.
    pub async fn recipient(&self, id: i64) -> Result<Option<Recipient>, sqlx::Error> {
        let row = db::query(&format!("{RECIPIENT}?{RECIPIENT_FROM} = ?"))
            .bind(self.now().timestamp())
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(recipient_from))
    }

    /// Members `ids` as recipients, by id, in one statement (the delivery
    /// worker's batch); an id that no longer exists is absent.
    pub async fn recipients(&self, ids: &[i64]) -> Result<HashMap<i64, Recipient>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut qb = db::Builder::new(RECIPIENT);
        qb.push_bind(self.now().timestamp()).push(RECIPIENT_FROM);
        qb.push_in(ids.iter().copied());
        let rows = qb.build().fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(recipient_from)
            .map(|r| (r.member_id, r))
            .collect())
    }

    /// The (member, channel) pairs among members `ids` whose newest choice
    /// is a yes (never asked: no), in one statement.
    pub async fn consents_of(&self, ids: &[i64]) -> Result<HashSet<(i64, Channel)>, sqlx::Error> {
        let mut yes = HashSet::new();
        if ids.is_empty() {
            return Ok(yes);
        }
        let mut qb =
            db::Builder::new("SELECT member_id, channel, granted FROM consents WHERE member_id");
        qb.push_in(ids.iter().copied());
        qb.push(" ORDER BY id");
        for r in qb.build().fetch_all(&self.pool).await? {
            let Some(channel) = Channel::parse(r.get::<&str, _>("channel")) else {
                continue;
            };
            let key = (r.get::<i64, _>("member_id"), channel);
            match r.get::<db::Flag, _>("granted").0 {
                true => yes.insert(key),
                false => yes.remove(&key),
            };
        }
        Ok(yes)
    }

    /// Opts the member out of `channel` from an unsubscribe link in message
    /// `message_id` (source `unsubscribe`); false when they were already out
    /// (nothing is written). The member's row is locked, so two clicks at
    /// once record one opt-out.
    pub async fn unsubscribe(
        &self,
        member_id: i64,
        channel: Channel,
        message_id: i64,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        crate::store::dialect::lock_member(&mut tx, member_id).await?;
        let granted: Option<db::Flag> = db::query_scalar(LATEST_CONSENT)
            .bind(member_id)
            .bind(channel.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if !granted.is_some_and(|g| g.0) {
            return Ok(false);
        }
        let now = self.now().timestamp();
        Self::record_consent_from(
            &mut tx,
            member_id,
            channel,
            false,
            now,
            "unsubscribe",
            Some(message_id),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records a consent choice with where it came from (`profile`,
    /// `unsubscribe` with the message, `admin`, `seed`); history is kept.
    pub async fn record_consent_from(
        tx: &mut WriteTx<'_>,
        member_id: i64,
        channel: Channel,
        granted: bool,
        now: i64,
        source: &str,
        message_id: Option<i64>,
    ) -> Result<(), sqlx::Error> {
        db::query(
            "INSERT INTO consents (member_id, channel, granted, at, source, message_id) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(member_id)
        .bind(channel.as_str())
        .bind(granted)
        .bind(now)
        .bind(source)
        .bind(message_id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Which of `emails` are suppressed, and why: lower-cased address →
    /// reason, in one statement.
    pub async fn suppressed_among(
        &self,
        emails: &[&str],
    ) -> Result<HashMap<String, String>, sqlx::Error> {
        if emails.is_empty() {
            return Ok(HashMap::new());
        }
        let mut qb = db::Builder::new("SELECT email, reason FROM suppressions WHERE email");
        qb.push_in(emails.iter().map(|e| e.to_lowercase()));
        let rows = qb.build().fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| (r.get("email"), r.get("reason")))
            .collect())
    }

    /// Suppresses `email` (kept as it was when already suppressed).
    pub async fn suppress(
        &self,
        email: &str,
        reason: &str,
        detail: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        db::query(
            "INSERT INTO suppressions (email, reason, detail, created_at) VALUES (lower(?), ?, ?, ?)
             ON CONFLICT (email) DO NOTHING",
        )
        .bind(email)
        .bind(reason)
        .bind(detail)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

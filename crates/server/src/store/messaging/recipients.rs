//! Who a message goes to and whether it may go: the member's address,
//! language and time zone, their current consent for a topic, and the
//! suppression list (addresses that bounced or complained, or an admin
//! entered), with consent changes recorded with their source.

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
}

/// The member's newest choice for a channel.
const LATEST_CONSENT: &str =
    "SELECT granted FROM consents WHERE member_id = ? AND channel = ? ORDER BY id DESC LIMIT 1";

impl Store {
    /// Member `id` as a recipient, if it exists.
    pub async fn recipient(&self, id: i64) -> Result<Option<Recipient>, sqlx::Error> {
        let row = db::query(
            "SELECT id, name, email, language, time_zone, card_number FROM members WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| Recipient {
            member_id: r.get("id"),
            name: r.get("name"),
            email: r.get("email"),
            language: r.get("language"),
            time_zone: r.get("time_zone"),
            card_number: r.get("card_number"),
        }))
    }

    /// Whether the member's newest choice for `channel` is a yes (never
    /// asked: no).
    pub async fn consented(&self, member_id: i64, channel: Channel) -> Result<bool, sqlx::Error> {
        let granted: Option<db::Flag> = db::query_scalar(LATEST_CONSENT)
            .bind(member_id)
            .bind(channel.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(granted.is_some_and(|g| g.0))
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

    /// Why `email` is suppressed, if it is.
    pub async fn suppression(&self, email: &str) -> Result<Option<String>, sqlx::Error> {
        db::query_scalar("SELECT reason FROM suppressions WHERE email = lower(?)")
            .bind(email)
            .fetch_optional(&self.pool)
            .await
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

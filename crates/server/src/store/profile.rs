//! Member profile, consents, email and password changes.

use crate::store::db;
use patron_core::profile::{Channel, Consent, Profile};
use sqlx::Row;

use super::{ts_opt, Store, WriteTx};

impl Store {
    /// The member's profile with current consents.
    pub async fn profile(
        &self,
        member_id: i64,
        programme_tz: &str,
    ) -> Result<Option<Profile>, sqlx::Error> {
        let Some(r) = db::query(
            "SELECT name, email, card_number, birthday, region, city, language, time_zone
             FROM members WHERE id = ?",
        )
        .bind(member_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let rows = db::query(
            "SELECT c.channel, c.granted, c.at FROM consents c
             WHERE c.member_id = ? AND c.id = (SELECT MAX(id) FROM consents x
                                               WHERE x.member_id = c.member_id AND x.channel = c.channel)",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        let consents = Channel::ALL
            .iter()
            .map(|ch| {
                let row = rows
                    .iter()
                    .find(|r| r.get::<&str, _>("channel") == ch.as_str());
                Consent {
                    channel: *ch,
                    granted: row
                        .map(|r| r.get::<db::Flag, _>("granted").0)
                        .unwrap_or(false),
                    at: ts_opt(row.map(|r| r.get("at"))),
                }
            })
            .collect();
        let birthday: Option<String> = r.get("birthday");
        Ok(Some(Profile {
            name: r.get("name"),
            email: r.get("email"),
            card_number: r.get("card_number"),
            birthday_editable: birthday.is_none(),
            birthday: birthday.and_then(|b| b.parse().ok()),
            region: r.get("region"),
            city: r.get("city"),
            language: r.get("language"),
            time_zone: r
                .get::<Option<String>, _>("time_zone")
                .unwrap_or_else(|| programme_tz.to_string()),
            consents,
        }))
    }

    /// Sets one text column of a member (name, region, city, language, time_zone).
    pub async fn set_member_field(
        tx: &mut WriteTx<'_>,
        member_id: i64,
        column: &'static str,
        value: &str,
    ) -> Result<(), sqlx::Error> {
        debug_assert!(["name", "region", "city", "language", "time_zone"].contains(&column));
        db::query(&format!("UPDATE members SET {column} = ? WHERE id = ?"))
            .bind(value)
            .bind(member_id)
            .execute(&mut **tx)
            .await?;
        if column == "name" {
            db::query("UPDATE users SET name = ? WHERE member_id = ?")
                .bind(value)
                .bind(member_id)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Sets the birthday once; false when it was already set.
    pub async fn set_birthday_once(
        tx: &mut WriteTx<'_>,
        member_id: i64,
        birthday: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = db::query(
            "UPDATE members SET birthday = ?, birthday_set_at = ? WHERE id = ? AND birthday IS NULL",
        )
        .bind(birthday)
        .bind(now)
        .bind(member_id)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a consent choice the member made on their profile (history
    /// is kept).
    pub async fn record_consent(
        tx: &mut WriteTx<'_>,
        member_id: i64,
        channel: Channel,
        granted: bool,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        Self::record_consent_from(tx, member_id, channel, granted, now, "profile", None).await
    }

    /// Changes a user's (and their member record's) email. False when the
    /// email is taken.
    pub async fn change_email(&self, user_id: i64, email: &str) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let taken: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM users WHERE lower(email) = lower(?) AND id <> ?",
        )
        .bind(email)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        let taken_m: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM members WHERE lower(email) = lower(?)
               AND id <> COALESCE((SELECT member_id FROM users WHERE id = ?), -1)",
        )
        .bind(email)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        if taken + taken_m > 0 {
            return Ok(false);
        }
        db::query("UPDATE users SET email = ? WHERE id = ?")
            .bind(email)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        db::query(
            "UPDATE members SET email = ? WHERE id = (SELECT member_id FROM users WHERE id = ?)",
        )
        .bind(email)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Sets a new password hash and ends every session of the user except
    /// `keep_session` (the one making the change).
    pub async fn change_password(
        &self,
        user_id: i64,
        hash: &str,
        keep_session: &str,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        db::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        db::query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?")
            .bind(user_id)
            .bind(keep_session)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
}

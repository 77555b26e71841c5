//! What the messages of one delivery batch share, loaded up front in about
//! ten statements instead of several per message: the recipients with
//! their balances and tiers, their consents, which of their addresses are
//! suppressed, their marketing in the frequency-cap window, the programme,
//! and the template and campaign texts the batch needs. Rendering a large audience is
//! bounded by round trips to the database, so this is where the time goes
//! (issue 18's render goal); the facts are at most a batch old when used.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use patron_core::campaigns::CampaignVariant;
use patron_core::messaging::{TemplateKey, TemplateUpdate, CAP_DAYS};
use patron_core::profile::Channel;

use super::defaults;
use crate::store::messaging::outbox::DueMessage;
use crate::store::messaging::recipients::Recipient;
use crate::store::programme::Programme;
use crate::store::Store;
use crate::summary::{member_standings, Standing};

/// The batch's shared facts.
pub struct Facts {
    pub programme: Programme,
    recipients: HashMap<i64, Recipient>,
    consents: HashSet<(i64, Channel)>,
    /// Lower-cased address → why.
    suppressed: HashMap<String, String>,
    /// Member → (marketing messages in the cap window, when the first went).
    cap: HashMap<i64, (i64, i64)>,
    texts: HashMap<(TemplateKey, &'static str), TemplateUpdate>,
    /// Campaign → its variants (for the batch's campaign messages).
    campaigns: HashMap<i64, Vec<CampaignVariant>>,
    /// Member → their figures now (none when the programme has no tiers).
    standings: HashMap<i64, Standing>,
}

/// The language a recipient is written to in (`en` unless they chose `zh`).
pub fn language(r: &Recipient) -> &'static str {
    if r.language == "zh" {
        "zh"
    } else {
        "en"
    }
}

impl Facts {
    /// Loads what `due` needs (one message per member) as of `now`.
    pub async fn load(
        store: &Store,
        due: &[DueMessage],
        now: DateTime<Utc>,
    ) -> Result<Self, sqlx::Error> {
        let ids: Vec<i64> = due.iter().map(|m| m.member_id).collect();
        let recipients = store.recipients(&ids).await?;
        let consents = store.consents_of(&ids).await?;
        let emails: Vec<&str> = recipients.values().map(|r| r.email.as_str()).collect();
        let suppressed = store.suppressed_among(&emails).await?;
        let cap = store
            .marketing_sent_since(&ids, now.timestamp() - CAP_DAYS * 86_400)
            .await?;
        let mut texts = HashMap::new();
        for m in due {
            let Some(r) = recipients.get(&m.member_id) else {
                continue;
            };
            let key = (m.template, language(r));
            if let std::collections::hash_map::Entry::Vacant(slot) = texts.entry(key) {
                slot.insert(match store.template_text(key.0, key.1).await? {
                    Some(t) => t,
                    None => defaults::text(key.0, key.1),
                });
            }
        }
        let mut campaigns = HashMap::new();
        for id in due.iter().filter_map(|m| m.campaign_id) {
            if let std::collections::hash_map::Entry::Vacant(slot) = campaigns.entry(id) {
                slot.insert(store.campaign_variants(id).await?);
            }
        }
        let programme = store.programme().await?;
        let tiers = store.tiers().await?;
        let standings = match tiers.is_empty() {
            true => HashMap::new(),
            false => {
                let members: Vec<&Recipient> = recipients.values().collect();
                member_standings(store, &members, &programme, &tiers, now).await?
            }
        };
        Ok(Self {
            programme,
            recipients,
            consents,
            suppressed,
            cap,
            texts,
            campaigns,
            standings,
        })
    }

    /// Member `id`, if they still exist.
    pub fn recipient(&self, id: i64) -> Option<&Recipient> {
        self.recipients.get(&id)
    }

    /// Member `id`'s balance and tier progress.
    pub fn standing(&self, id: i64) -> Option<&Standing> {
        self.standings.get(&id)
    }

    /// Whether member `id`'s newest choice for `channel` is a yes.
    pub fn consented(&self, id: i64, channel: Channel) -> bool {
        self.consents.contains(&(id, channel))
    }

    /// Why `email` is suppressed, if it is.
    pub fn suppression(&self, email: &str) -> Option<&str> {
        self.suppressed
            .get(&email.to_lowercase())
            .map(String::as_str)
    }

    /// Marketing messages member `id` was sent in the cap window, and when
    /// the first of them went.
    pub fn marketing_sent(&self, id: i64) -> (i64, Option<i64>) {
        match self.cap.get(&id) {
            Some(&(n, first)) => (n, Some(first)),
            None => (0, None),
        }
    }

    /// The text of message `m` in `language`: its campaign variant's, or
    /// its template's (the admin's, else the default).
    pub fn text(&self, m: &DueMessage, language: &'static str) -> Cow<'_, TemplateUpdate> {
        let key = m.template;
        if let Some(variants) = m.campaign_id.and_then(|c| self.campaigns.get(&c)) {
            let n = m.fields["variant"].as_u64().unwrap_or(0) as usize;
            if let Some(v) = variants.get(n).or(variants.first()) {
                return Cow::Borrowed(if language == "zh" { &v.zh } else { &v.en });
            }
        }
        match self.texts.get(&(key, language)) {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(defaults::text(key, language)),
        }
    }
}

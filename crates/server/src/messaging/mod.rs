//! Messages to members. Events queue a message in their own transaction
//! (`store::messaging::outbox`, called from `automations`); the delivery
//! worker (`deliver`) renders it in the member's language (`render`,
//! `defaults`), checks consent, suppression, quiet hours and the frequency
//! cap, and hands it to the mail server — or, with no `--smtp-url`, keeps
//! it in the outbox as captured, so a demo sends nothing anywhere.
//! Marketing messages carry a signed one-click unsubscribe link (`tokens`,
//! RFC 8058).

pub mod automations;
pub mod batch;
pub mod calendar;
pub mod compose;
pub mod defaults;
pub mod deliver;
pub mod render;
pub mod smtp;
pub mod tokens;
pub mod tracking;

use std::sync::Arc;

use lettre::message::Mailbox;

use crate::store::Store;

/// How the server sends mail (`patron-server --smtp-url …`).
#[derive(Debug, Clone)]
pub struct MessagingConfig {
    /// `smtp://host:port` (plain), `smtp://host?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host` (TLS); `None`: capture, send nothing.
    pub smtp_url: Option<String>,
    /// The sender, e.g. `Patron <no-reply@example.com>`.
    pub from: String,
    /// Messages handed to the mail server per minute at most.
    pub rate_per_minute: u32,
    /// Where members reach the portal; links in messages start with it.
    pub public_url: String,
    /// The secret a mail provider signs bounce and complaint reports with
    /// (`POST /api/v1/messaging/reports`); `None`: reports are refused.
    pub report_secret: Option<String>,
}

impl Default for MessagingConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "Patron <no-reply@patron.localhost>".into(),
            rate_per_minute: 600,
            public_url: "http://127.0.0.1:8080".into(),
            report_secret: None,
        }
    }
}

/// The delivery side: the mail server (if any), the sender, the pace and
/// the signing key. Cheap to clone.
#[derive(Clone)]
pub struct Mailer(Arc<Inner>);

struct Inner {
    smtp: Option<smtp::Smtp>,
    from: Mailbox,
    rate_per_minute: u32,
    public_url: String,
    report_secret: Option<String>,
    key: tokio::sync::OnceCell<Vec<u8>>,
}

/// Connections the transport keeps open to the mail server (one per
/// message in flight, see `deliver::CONCURRENCY`).
const SMTP_POOL: u32 = smtp::CONCURRENCY as u32;

impl Mailer {
    /// A mailer for `config`; an SMTP URL or sender that does not parse is
    /// an error naming it.
    pub fn new(config: &MessagingConfig) -> Result<Self, String> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| format!("--mail-from {:?} is not an address: {e}", config.from))?;
        let smtp = match &config.smtp_url {
            None => None,
            Some(url) => Some(
                smtp::Smtp::from_url(url, SMTP_POOL)
                    .map_err(|e| format!("--smtp-url is not usable: {e}"))?,
            ),
        };
        if config.rate_per_minute == 0 {
            return Err("--mail-rate must be at least 1 message per minute".into());
        }
        Ok(Self(Arc::new(Inner {
            smtp,
            from,
            rate_per_minute: config.rate_per_minute,
            public_url: config.public_url.trim_end_matches('/').to_string(),
            report_secret: config.report_secret.clone().filter(|s| !s.is_empty()),
            key: Default::default(),
        })))
    }

    /// `smtp` or `captured`, as the outbox shows it.
    pub fn delivery(&self) -> &'static str {
        if self.0.smtp.is_some() {
            "smtp"
        } else {
            "captured"
        }
    }

    /// The key links are signed with (read from the database once).
    pub async fn key(&self, store: &Store) -> Result<&[u8], sqlx::Error> {
        self.0
            .key
            .get_or_try_init(|| store.secret("unsubscribe"))
            .await
            .map(Vec::as_slice)
    }

    /// The page an unsubscribe link opens (and one-click POSTs to).
    pub fn unsubscribe_url(&self, token: &str) -> String {
        format!("{}/unsubscribe/{token}", self.0.public_url)
    }

    /// A tracking address (an open pixel or a click) for `token`.
    pub fn tracking_url(&self, token: &str) -> String {
        format!("{}/t/{token}", self.0.public_url)
    }

    /// The member portal.
    pub fn portal_url(&self) -> String {
        format!("{}/dashboard", self.0.public_url)
    }

    /// The secret delivery reports are signed with, if set.
    pub fn report_secret(&self) -> Option<&str> {
        self.0.report_secret.as_deref()
    }

    pub(crate) fn smtp(&self) -> Option<&smtp::Smtp> {
        self.0.smtp.as_ref()
    }

    pub(crate) fn from(&self) -> &Mailbox {
        &self.0.from
    }

    pub(crate) fn rate_per_minute(&self) -> u32 {
        self.0.rate_per_minute
    }
}

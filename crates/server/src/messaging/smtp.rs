//! The connection to the mail server. For `smtp://` (plain, or STARTTLS
//! with `?tls=required`) Patron keeps its own small pool of lettre SMTP
//! connections on sockets with Nagle's algorithm off: lettre 0.11.23 writes
//! a message's body and its final `.` separately, and with Nagle on the
//! second write waits for the server's delayed ACK — ~40 ms per message,
//! 25 messages a second per connection (fixed upstream in lettre PR 1159,
//! not yet released). `smtps://` (TLS from the first byte) goes through
//! lettre's own pooled transport.

use std::time::Duration;

use tokio::time::Instant;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Messages prepared and handed to the mail server at once (each on a
/// connection of the pool): a mail server answers each message after a
/// round trip or more, and lettre 0.11.23 leaves Nagle's algorithm on, so
/// one connection waits ~40 ms per message for the peer's delayed ACK
/// (fixed upstream in lettre PR 1159, not yet released).
pub const CONCURRENCY: usize = 8;

/// Spaces hand-overs to the mail server at the configured rate, across the
/// messages of a batch in flight together.
pub struct Pacer {
    every: Duration,
    next: tokio::sync::Mutex<Instant>,
}

impl Pacer {
    pub fn new(per_minute: u32) -> Self {
        Self {
            every: Duration::from_secs_f64(60.0 / f64::from(per_minute.max(1))),
            next: tokio::sync::Mutex::new(Instant::now()),
        }
    }

    /// Waits for this hand-over's slot.
    pub async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let slot = (*next).max(Instant::now());
            *next = slot + self.every;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

/// How long a connection attempt or one message may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Why a message was not handed over.
#[derive(Debug)]
pub enum SendError {
    /// The mail server answered with a refusal (or the session failed).
    Smtp(lettre::transport::smtp::Error),
    /// No connection could be made, or it timed out.
    Connect(String),
}

impl SendError {
    /// The server refused for good (5xx).
    pub fn is_permanent(&self) -> bool {
        matches!(self, SendError::Smtp(e) if e.is_permanent())
    }

    /// The server refused for now (4xx): this message, not the server.
    pub fn is_transient(&self) -> bool {
        matches!(self, SendError::Smtp(e) if e.is_transient())
    }
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Smtp(e) => write!(f, "{e}"),
            SendError::Connect(e) => write!(f, "cannot reach the mail server: {e}"),
        }
    }
}

/// A mail server to send through.
pub enum Smtp {
    /// Our pool of no-delay connections (`smtp://`).
    Direct(Direct),
    /// lettre's transport (`smtps://`).
    Lettre(AsyncSmtpTransport<Tokio1Executor>),
}

/// Where and how to connect, and the idle connections.
pub struct Direct {
    host: String,
    port: u16,
    starttls: bool,
    credentials: Option<Credentials>,
    hello: ClientId,
    idle: tokio::sync::Mutex<Vec<AsyncSmtpConnection>>,
    max_idle: usize,
}

impl Smtp {
    /// The mail server of `url`, with up to `pool` connections kept open.
    pub fn from_url(url: &str, pool: u32) -> Result<Smtp, String> {
        let parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
        let tls = parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.to_string());
        match (parsed.scheme(), tls.as_deref()) {
            ("smtp", None | Some("required")) => {
                let host = parsed.host_str().ok_or("no host")?.to_string();
                let decode = |s: &str| {
                    url::form_urlencoded::parse(format!("x={s}").as_bytes())
                        .next()
                        .map(|(_, v)| v.to_string())
                        .unwrap_or_default()
                };
                let credentials = parsed
                    .password()
                    .map(|p| Credentials::new(decode(parsed.username()), decode(p)));
                let hello = match parsed.path().trim_matches('/') {
                    "" => ClientId::default(),
                    name => ClientId::Domain(name.to_string()),
                };
                Ok(Smtp::Direct(Direct {
                    port: parsed
                        .port()
                        .unwrap_or(if tls.is_some() { 587 } else { 25 }),
                    host,
                    starttls: tls.is_some(),
                    credentials,
                    hello,
                    idle: Default::default(),
                    max_idle: pool as usize,
                }))
            }
            _ => Ok(Smtp::Lettre(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| e.to_string())?
                    .timeout(Some(TIMEOUT))
                    .pool_config(PoolConfig::new().max_size(pool))
                    .build(),
            )),
        }
    }

    /// Hands `message` to the mail server.
    pub async fn send(&self, message: &Message) -> Result<(), SendError> {
        match self {
            Smtp::Lettre(t) => t
                .send(message.clone())
                .await
                .map(|_| ())
                .map_err(SendError::Smtp),
            Smtp::Direct(d) => d.send(message).await,
        }
    }
}

impl Direct {
    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let tcp = tokio::time::timeout(
            TIMEOUT,
            tokio::net::TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|_| SendError::Connect("connection timed out".into()))?
        .map_err(|e| SendError::Connect(e.to_string()))?;
        tcp.set_nodelay(true)
            .map_err(|e| SendError::Connect(e.to_string()))?;
        let mut c = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
            .await
            .map_err(SendError::Smtp)?;
        if self.starttls {
            let params = TlsParameters::new(self.host.clone()).map_err(SendError::Smtp)?;
            c.starttls(params, &self.hello)
                .await
                .map_err(SendError::Smtp)?;
        }
        if let Some(cred) = &self.credentials {
            c.auth(&[Mechanism::Plain, Mechanism::Login], cred)
                .await
                .map_err(SendError::Smtp)?;
        }
        Ok(c)
    }

    async fn send(&self, message: &Message) -> Result<(), SendError> {
        let idle = self.idle.lock().await.pop();
        let mut conn = match idle {
            Some(c) => c,
            None => self.connect().await?,
        };
        let sent =
            tokio::time::timeout(TIMEOUT, conn.send(message.envelope(), &message.formatted()))
                .await
                .map_err(|_| SendError::Connect("the mail server stopped answering".into()))?;
        match sent {
            Ok(_) => {
                let mut idle = self.idle.lock().await;
                if !conn.has_broken() && idle.len() < self.max_idle {
                    idle.push(conn);
                }
                Ok(())
            }
            // lettre ends a session after any refusal; the next message
            // opens another.
            Err(e) => Err(SendError::Smtp(e)),
        }
    }
}

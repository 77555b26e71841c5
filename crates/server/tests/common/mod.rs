//! Starts a real server on a free loopback port with a fresh database: a
//! SQLite file, or, when `PATRON_TEST_POSTGRES` names a PostgreSQL server
//! (scripts/with-postgres.sh starts one), a new database on it. Tests read
//! and write the database through `s.pool()` with `patron_server::store::db`
//! statements, so one test runs on both.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use patron_server::app::{build, Config};
use patron_server::store::db;

pub struct TestServer {
    pub base: String,
    pub db_url: String,
    pub dir: tempfile::TempDir,
    pub store: patron_server::store::Store,
    /// Delivers the outbox (tests call `deliver_due` instead of waiting for
    /// the worker).
    pub mailer: patron_server::messaging::Mailer,
}

impl TestServer {
    /// The server's own connection pool.
    pub fn pool(&self) -> &db::Pool {
        self.store.pool()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client that keeps cookies, like a browser.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client")
    }

    /// `GET path` with `c`, the body as JSON.
    pub async fn get_json(&self, c: &reqwest::Client, path: &str) -> serde_json::Value {
        c.get(self.url(path))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("a JSON body")
    }

    /// A client signed in as `email`.
    pub async fn signed_in(&self, email: &str, password: &str) -> reqwest::Client {
        let c = self.client();
        let res = c
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .expect("login request");
        assert_eq!(res.status(), 200, "login as {email}");
        c
    }
}

pub async fn start(members: i64, static_dir: Option<PathBuf>) -> TestServer {
    start_with(members, 0, static_dir).await
}

/// A server whose demo data includes `feedback` generated tickets.
pub async fn start_with(members: i64, feedback: i64, static_dir: Option<PathBuf>) -> TestServer {
    start_on(
        members,
        feedback,
        static_dir,
        patron_server::clock::Clock::system(),
    )
    .await
}

/// A server that tells time by `clock` (tests move it instead of sleeping).
pub async fn start_on(
    members: i64,
    feedback: i64,
    static_dir: Option<PathBuf>,
    clock: patron_server::clock::Clock,
) -> TestServer {
    start_config(members, feedback, static_dir, clock, Vec::new()).await
}

/// A server behind the reverse proxies `trusted` (their X-Forwarded-For
/// names the client).
pub async fn start_config(
    members: i64,
    feedback: i64,
    static_dir: Option<PathBuf>,
    clock: patron_server::clock::Clock,
    trusted: Vec<std::net::IpAddr>,
) -> TestServer {
    start_full(
        members,
        feedback,
        static_dir,
        clock,
        trusted,
        Default::default(),
    )
    .await
}

/// A server delivering mail as `messaging` says (an SMTP sink's URL).
pub async fn start_mailing(
    members: i64,
    clock: patron_server::clock::Clock,
    messaging: patron_server::messaging::MessagingConfig,
) -> TestServer {
    start_full(members, 0, None, clock, Vec::new(), messaging).await
}

async fn start_full(
    members: i64,
    feedback: i64,
    static_dir: Option<PathBuf>,
    clock: patron_server::clock::Clock,
    trusted: Vec<std::net::IpAddr>,
    messaging: patron_server::messaging::MessagingConfig,
) -> TestServer {
    // The server's errors go with the test's output (shown when it fails).
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_max_level(tracing::Level::WARN)
        .try_init();
    let dir = tempfile::tempdir().expect("temp dir");
    let db_url = database_url(dir.path()).await;
    serve(
        Config {
            database_url: db_url,
            static_dir,
            members,
            feedback,
            seed: 7,
            secure_cookies: false,
            clock,
            trusted_proxies: trusted,
            messaging,
        },
        dir,
    )
    .await
}

/// A second server process on `of`'s database and clock, as a replica
/// behind a load balancer would be (issue 17): it shares nothing with
/// `of` but the database.
pub async fn start_replica(of: &TestServer) -> TestServer {
    serve(
        Config {
            database_url: of.db_url.clone(),
            static_dir: None,
            members: 1,
            feedback: 0,
            seed: 7,
            secure_cookies: false,
            clock: of.store.clock().clone(),
            trusted_proxies: Vec::new(),
            messaging: Default::default(),
        },
        tempfile::tempdir().expect("temp dir"),
    )
    .await
}

/// Builds the server for `config` and serves it on a free port.
async fn serve(config: Config, dir: tempfile::TempDir) -> TestServer {
    let built = build(&config).await.expect("server builds");
    let db_url = config.database_url;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            built
                .router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    TestServer {
        base: format!("http://{addr}"),
        db_url,
        dir,
        store: built.store,
        mailer: built.mailer,
    }
}

/// Whether the tests run on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var_os("PATRON_TEST_POSTGRES").is_some()
}

/// A URL for an empty database of this test's own: a file in `dir`, or a
/// new database on `PATRON_TEST_POSTGRES`'s server.
pub async fn database_url(dir: &std::path::Path) -> String {
    use sqlx::Connection;
    use std::sync::atomic::{AtomicU32, Ordering};
    let Ok(server) = std::env::var("PATRON_TEST_POSTGRES") else {
        return format!("sqlite://{}/patron.db", dir.display());
    };
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "t{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&server)
        .await
        .unwrap_or_else(|e| panic!("connect to PATRON_TEST_POSTGRES {server}: {e}"));
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&mut admin)
        .await
        .expect("drop an old test database");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create the test database");
    // postgres:///postgres?host=… → postgres:///tNNN_N?host=…
    let (path, query) = server.split_once('?').unwrap_or((&server, ""));
    let base = path.rsplit_once('/').map_or(path, |(b, _)| b);
    format!("{base}/{name}?{query}")
}

pub const MEMBER: (&str, &str) = ("member@patron.test", "patron-member");
pub const ADMIN: (&str, &str) = ("admin@patron.test", "patron-admin");
pub const SUPPORT: (&str, &str) = ("support@patron.test", "patron-support");

/// Adds a member who can sign in, holding `points` available now in one lot
/// (test set-up straight into the database). Returns the member id.
pub async fn add_member_with_points(
    s: &TestServer,
    email: &str,
    password: &str,
    points: i64,
) -> i64 {
    let pool = s.pool();
    let now = chrono::Utc::now().timestamp();
    // The database numbers the member (PostgreSQL's identity counts on
    // from the seed); the card number follows from it.
    let id: i64 = db::query_scalar(
        "INSERT INTO members (card_number, name, email, region, city, age_band, gender, occupation, education, joined_at, status, tier_id)
         VALUES (?, 'Test Member', ?, 'East', 'Shanghai', '25-34', 'female', 'office', 'bachelor', ?, 'active', 1)
         RETURNING id",
    )
    .bind(email)
    .bind(email)
    .bind(now - 86_400)
    .fetch_one(pool)
    .await
    .unwrap();
    db::query("UPDATE members SET card_number = ? WHERE id = ?")
        .bind(format!("9900{id:08}"))
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    let hash = patron_server::auth::hash_password(password).unwrap();
    db::query(
        "INSERT INTO users (email, name, role, password_hash, member_id, active, created_at)
         VALUES (?, 'Test Member', 'member', ?, ?, TRUE, ?)",
    )
    .bind(email)
    .bind(hash)
    .bind(id)
    .bind(now)
    .execute(pool)
    .await
    .unwrap();
    if points > 0 {
        db::query(
            "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, reason)
             VALUES (?, 'adjust', ?, ?, ?, ?, 'Test lot (adjustment: does not count towards tiers)')",
        )
        .bind(id)
        .bind(points)
        .bind(now - 3_600)
        .bind(now - 60)
        .bind(now + 365 * 86_400)
        .execute(pool)
        .await
        .unwrap();
    }
    id
}

/// A real SMTP server (aiosmtpd, tests/smtp_sink.py) on a free port: what it
/// accepts is read back with [`SmtpSink::messages`]. Recipients `bounce…@`
/// are refused for good (550), `later…@` for now (451). Stops when dropped.
pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        use std::io::BufRead;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let python = std::env::var_os("PATRON_TEST_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join(".venv-tools/bin/python"));
        let dir = tempfile::tempdir().expect("temp dir");
        let mut child = std::process::Command::new(&python)
            .arg(root.join("tests/smtp_sink.py"))
            .arg(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "start the SMTP sink with {} ({e}); run scripts/setup.sh --with-smtp",
                    python.display()
                )
            });
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("sink stdout"))
            .read_line(&mut line)
            .expect("the sink prints its port");
        let port = line.trim().parse().unwrap_or_else(|_| {
            panic!("the SMTP sink did not start (said {line:?}); run scripts/setup.sh --with-smtp")
        });
        SmtpSink { port, dir, child }
    }

    /// `smtp://127.0.0.1:PORT` for `--smtp-url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message accepted so far, oldest first.
    pub fn messages(&self) -> Vec<serde_json::Value> {
        let mut paths: Vec<_> = std::fs::read_dir(self.dir.path())
            .expect("sink dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| {
                serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
            })
            .collect()
    }

    /// Messages accepted for `email`.
    pub fn to(&self, email: &str) -> Vec<serde_json::Value> {
        self.messages()
            .into_iter()
            .filter(|m| {
                m["rcpt_tos"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|a| a == email))
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Records a consent choice for `member` (test set-up, source `seed`).
pub async fn consent(s: &TestServer, member: i64, channel: &str, granted: bool) {
    db::query("INSERT INTO consents (member_id, channel, granted, at, source) VALUES (?, ?, ?, ?, 'seed')")
        .bind(member)
        .bind(channel)
        .bind(granted)
        .bind(s.store.now().timestamp() - 60)
        .execute(s.pool())
        .await
        .unwrap();
}

/// The id of the member with `email`.
pub async fn member_id(s: &TestServer, email: &str) -> i64 {
    db::query_scalar("SELECT id FROM members WHERE email = ?")
        .bind(email)
        .fetch_one(s.pool())
        .await
        .unwrap()
}

/// Joins the programme through `POST /auth/register`; the new member's id.
pub async fn register(s: &TestServer, name: &str, email: &str) -> i64 {
    let res = s
        .client()
        .post(s.url("/api/v1/auth/register"))
        .json(
            &serde_json::json!({"name": name, "email": email, "password": "correct horse battery"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "register {email}");
    member_id(s, email).await
}

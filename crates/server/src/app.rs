//! Building the server: database, demo data, routes and layers.

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::HeaderValue;
use axum::Router;

use crate::auth::hash_password;
use crate::clock::Clock;
use crate::seed::DEMO_ACCOUNTS;
use crate::state::AppState;
use crate::store::seed::SeedReport;
use crate::store::Store;

/// How to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// e.g. `sqlite://data/patron.db`.
    pub database_url: String,
    /// The built SPA (`dist/`); `None` serves the API only.
    pub static_dir: Option<PathBuf>,
    /// Members to generate when the database is empty.
    pub members: i64,
    /// Feedback items to generate with them (the support queue).
    pub feedback: i64,
    /// Seed of the demo data generator.
    pub seed: u64,
    pub secure_cookies: bool,
    /// What the server takes for "now" (the system clock unless moved).
    pub clock: Clock,
    /// Proxies trusted to name the client in `X-Forwarded-For`.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Mail: the SMTP server (none: capture), sender, pace, public URL.
    pub messaging: crate::messaging::MessagingConfig,
}

/// What `build` did, for the start-up banner.
pub struct Built {
    pub router: Router,
    pub store: Store,
    /// What delivers the outbox (the caller starts its worker).
    pub mailer: crate::messaging::Mailer,
    pub seeded: Option<SeedReport>,
}

/// An error opening the database at `url`, as one line that names it
/// without its password.
pub fn database_error(url: &str, e: sqlx::Error) -> String {
    let url = crate::store::dialect::redacted(url);
    match e {
        // Ours already names the URL (an unknown scheme).
        sqlx::Error::Configuration(c) if c.to_string().contains("://") => c.to_string(),
        e => format!("cannot open the database {url}: {e}"),
    }
}

/// Opens and (when empty) seeds the database, prepares the SPA and returns
/// the router.
pub async fn build(config: &Config) -> Result<Built, Box<dyn std::error::Error + Send + Sync>> {
    if let Some(path) = config.database_url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
    }
    let store = Store::open_with_clock(&config.database_url, config.clock.clone())
        .await
        .map_err(|e| database_error(&config.database_url, e))?;
    // Replicas starting together on an empty database: one seeds, the
    // others wait and then find it seeded.
    let lock = store.startup_lock().await?;
    let seeded = if store.is_seeded().await? {
        None
    } else {
        let accounts = tokio::task::spawn_blocking(|| {
            DEMO_ACCOUNTS
                .iter()
                .map(|(email, password, role, name)| {
                    Ok((
                        email.to_string(),
                        name.to_string(),
                        *role,
                        hash_password(password)?,
                        *role == patron_core::auth::Role::Member,
                    ))
                })
                .collect::<Result<Vec<_>, crate::error::ApiError>>()
        })
        .await?
        .map_err(|e| format!("hashing demo passwords: {e}"))?;
        Some(
            store
                .seed(
                    config.members,
                    config.feedback,
                    config.seed,
                    store.now(),
                    &accounts,
                )
                .await?,
        )
    };

    lock.release().await;
    let store = if seeded.is_some() {
        store.reopen(&config.database_url).await?
    } else {
        store
    };
    let mailer = crate::messaging::Mailer::new(&config.messaging)?;
    let state = AppState {
        store: store.clone(),
        mailer: mailer.clone(),
        hashing: crate::limiter::Hashing::for_this_machine(),
        trusted_proxies: Arc::new(config.trusted_proxies.clone()),
        secure_cookies: config.secure_cookies,
    };
    let api = crate::routes::api()
        .route("/openapi.json", axum::routing::get(crate::openapi::serve))
        .layer(crate::envelope::catch_panics())
        .layer(axum::middleware::from_fn(crate::envelope::finish_errors));
    // Unsubscribe links in messages open a page of the server's own, with
    // or without the SPA.
    let mut router = Router::new()
        .nest("/api/v1", api)
        .merge(crate::routes::messaging::unsubscribe::pages())
        .merge(crate::routes::messaging::tracking::pages());
    let mut hashes = Vec::new();
    if let Some(dir) = &config.static_dir {
        let index_path = dir.join("index.html");
        let index = std::fs::read_to_string(&index_path).map_err(|e| {
            format!(
                "reading {}: {e} (build the SPA first)",
                index_path.display()
            )
        })?;
        hashes = crate::web::inline_script_hashes(&index);
        // The admin console's own bundle, when built (`dist/console/`).
        let console = std::fs::read_to_string(dir.join("console").join("index.html")).ok();
        if let Some(c) = &console {
            hashes.extend(crate::web::inline_script_hashes(c));
        }
        router = router.merge(crate::web::spa(
            dir,
            Arc::new(index),
            console.map(Arc::new),
            state.clone(),
        ));
    }
    let csp = Arc::new(HeaderValue::from_str(&crate::web::csp(&hashes))?);
    let router = router
        .with_state(state)
        .layer(axum::middleware::from_fn(move |req, next| {
            crate::web::security_headers(csp.clone(), req, next)
        }))
        .layer(tower_http::trace::TraceLayer::new_for_http());
    Ok(Built {
        router,
        store,
        mailer,
        seeded,
    })
}

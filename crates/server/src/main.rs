//! `patron-server`: runs the API and the SPA, or prints the OpenAPI document.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use patron_server::app::{build, Config};
use patron_server::seed::DEMO_ACCOUNTS;

#[derive(Parser)]
#[command(name = "patron-server", about = "Patron reference backend")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Address to listen on.
    #[arg(long, env = "PATRON_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// SQLite database URL; created and seeded when missing.
    #[arg(
        long,
        env = "PATRON_DATABASE_URL",
        default_value = "sqlite://data/patron.db"
    )]
    database_url: String,
    /// Directory of the built SPA (Trunk's dist/); omit to serve the API only.
    #[arg(long, env = "PATRON_STATIC_DIR")]
    static_dir: Option<PathBuf>,
    /// Members to generate on first start.
    #[arg(long, env = "PATRON_MEMBERS", default_value_t = 5_000)]
    members: i64,
    /// Feedback items (surveys, complaints, suggestions) to generate on first start.
    #[arg(long, env = "PATRON_FEEDBACK", default_value_t = 2_000)]
    feedback: i64,
    /// Seed of the demo data generator.
    #[arg(long, env = "PATRON_SEED", default_value_t = 20_261_122)]
    seed: u64,
    /// Development only: session cookies without `Secure`, for plain http
    /// on this machine (`make run` sets it). Secure is the default.
    #[arg(long, env = "PATRON_INSECURE_COOKIES")]
    insecure_cookies: bool,
    /// A reverse proxy in front of the server (repeatable, or a comma list):
    /// from these peers the client address is read from X-Forwarded-For,
    /// for sign-in throttling. From anyone else the header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "PATRON_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Development: start the server's clock at another instant, an RFC 3339
    /// time or days from today (`+30d`), and let it run from there. Jobs
    /// such as points expiry then see that date.
    #[arg(long, env = "PATRON_NOW", value_parser = patron_server::clock::parse_start)]
    now: Option<chrono::DateTime<chrono::Utc>>,
    /// Mail server for messages to members: `smtp://host:port` (plain),
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtps://user:pass@host`.
    /// Without it messages are rendered and kept in the admin's outbox as
    /// captured; nothing leaves the machine.
    #[arg(long, env = "PATRON_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender of messages to members.
    #[arg(
        long,
        env = "PATRON_MAIL_FROM",
        default_value = "Patron <no-reply@patron.localhost>"
    )]
    mail_from: String,
    /// Messages handed to the mail server per minute at most.
    #[arg(long, env = "PATRON_MAIL_RATE", default_value_t = 600)]
    mail_rate: u32,
    /// The address members reach the portal at (links in messages); by
    /// default http:// and the --bind address.
    #[arg(long, env = "PATRON_PUBLIC_URL")]
    public_url: Option<String>,
    /// Shared secret a mail provider signs bounce and complaint reports
    /// with (HMAC-SHA256 of the body in `X-Patron-Signature: sha256=…`).
    #[arg(long, env = "PATRON_MAIL_REPORT_SECRET", hide_env_values = true)]
    mail_report_secret: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Print the OpenAPI document to stdout.
    Openapi,
    /// Run points expiry once on the database (as the scheduler would) and
    /// print the run's figures; for cron and `make bench`.
    Expire,
    /// Queue today's automated messages (reminders, birthdays, holidays,
    /// win-back) and deliver the outbox until nothing is due, printing the
    /// figures; for cron and `make bench`.
    Deliver,
}

/// Runs the command; any error ends the process with one line on stderr
/// (naming the database without its password where it is the cause) and
/// exit code 1.
#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("patron-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    if let Some(Command::Openapi) = cli.command {
        print!("{}", patron_server::openapi::document());
        return Ok(());
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "patron_server=info,warn".into()),
        )
        .init();
    if cli.members < 1 {
        return Err("--members must be at least 1".into());
    }
    if !(0..=1_000_000).contains(&cli.feedback) {
        return Err("--feedback must be between 0 and 1000000".into());
    }
    let clock = match cli.now {
        Some(at) => patron_server::clock::Clock::starting_at(at),
        None => patron_server::clock::Clock::system(),
    };
    if let Some(Command::Expire) = cli.command {
        let store = patron_server::store::Store::open_with_clock(&cli.database_url, clock)
            .await
            .map_err(|e| patron_server::app::database_error(&cli.database_url, e))?;
        let started = std::time::Instant::now();
        let run = patron_server::jobs::run_expiry_now(&store).await?;
        println!(
            "expiry run {}: {} lots of {} members, {} points, {:.2} s{}",
            run.id,
            run.lots,
            run.members,
            run.points,
            started.elapsed().as_secs_f64(),
            run.error
                .map(|e| format!(", failed: {e}"))
                .unwrap_or_default()
        );
        return Ok(());
    }
    let messaging = patron_server::messaging::MessagingConfig {
        smtp_url: cli.smtp_url.clone(),
        from: cli.mail_from.clone(),
        rate_per_minute: cli.mail_rate,
        public_url: cli
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", cli.bind)),
        report_secret: cli.mail_report_secret.clone(),
    };
    if let Some(Command::Deliver) = cli.command {
        let store = patron_server::store::Store::open_with_clock(&cli.database_url, clock)
            .await
            .map_err(|e| patron_server::app::database_error(&cli.database_url, e))?;
        let mailer = patron_server::messaging::Mailer::new(&messaging)?;
        println!(
            "{}",
            patron_server::messaging::automations::run_once(&store, &mailer).await?
        );
        return Ok(());
    }
    let config = Config {
        database_url: cli.database_url.clone(),
        static_dir: cli.static_dir.clone(),
        members: cli.members,
        feedback: cli.feedback,
        seed: cli.seed,
        secure_cookies: !cli.insecure_cookies,
        trusted_proxies: cli.trusted_proxies.clone(),
        clock,
        messaging,
    };
    let started = std::time::Instant::now();
    let built = build(&config).await?;
    if let Some(r) = built.seeded {
        println!(
            "Seeded {} members, {} purchases, {} ledger entries, {} feedback items in {:.1} s",
            r.members,
            r.purchases,
            r.entries,
            r.feedback,
            started.elapsed().as_secs_f64()
        );
    } else {
        println!(
            "Using existing data in {}",
            patron_server::store::dialect::redacted(&cli.database_url)
        );
    }
    patron_server::jobs::spawn(built.store.clone(), built.mailer.clone());
    let listener = tokio::net::TcpListener::bind(cli.bind).await?;
    println!("Patron is running at http://{}", listener.local_addr()?);
    println!("Demo sign-ins:");
    for (email, password, role, _) in DEMO_ACCOUNTS {
        println!(
            "  {:<8} {email:<22} password: {password}",
            format!("{role:?}").to_lowercase()
        );
    }
    axum::serve(
        listener,
        built
            .router
            .into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("signal handler");
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    })
    .await?;
    Ok(())
}

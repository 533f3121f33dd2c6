//! `dysa-cloud`: the cloud service.

use anyhow::Context;
use clap::{Parser, Subcommand};
use dysa_cloud::platform::{NewAdmin, PlatformError};
use dysa_cloud::settings::{Overrides, Settings};
use sqlx::postgres::PgConnectOptions;
use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

/// Environment variable holding the new platform admin's password.
const ADMIN_PASSWORD_ENV: &str = "DYSA_CLOUD_ADMIN_PASSWORD";

/// ChatBotDysa cloud service: tenants, devices and the owners' dashboard API.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// TOML configuration file (default: dysa-cloud.toml in the working directory).
    #[arg(long, env = "DYSA_CLOUD_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Address to listen on (default 127.0.0.1:8005).
    #[arg(long, env = "DYSA_CLOUD_LISTEN")]
    listen: Option<SocketAddr>,
    /// What to do (default: serve).
    #[command(subcommand)]
    command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Creates a platform operator (super_admin) through the owner connection
    /// (`DATABASE_URL`). The password comes from DYSA_CLOUD_ADMIN_PASSWORD, else from
    /// the first line of standard input.
    CreatePlatformAdmin {
        /// Login email.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
    },
    /// Prints the OpenAPI document (JSON) and exits; `ui/scripts/gen-api.mjs` generates
    /// the dashboard's typed client from it.
    Openapi,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if matches!(cli.command, Some(Command::Openapi)) {
        println!("{}", dysa_cloud::http::openapi_json());
        return Ok(());
    }
    let settings = Settings::load(cli.config.as_deref(), &Overrides { listen: cli.listen })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    match cli.command {
        None => {
            dysa_web::telemetry::init(settings.log_format);
            runtime.block_on(serve(settings))
        }
        Some(Command::Openapi) => Ok(()),
        Some(Command::CreatePlatformAdmin { email, name }) => {
            let password = admin_password()?;
            runtime.block_on(create_platform_admin(settings, email, name, password))
        }
    }
}

/// The new admin's password: the environment variable, else one line of stdin.
fn admin_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var(ADMIN_PASSWORD_ENV) {
        return Ok(password);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Contraseña / Password: ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn create_platform_admin(
    settings: Settings,
    email: String,
    name: String,
    password: String,
) -> anyhow::Result<()> {
    let owner = PgConnectOptions::from_str(&settings.database_url)
        .context("reading DATABASE_URL (the owner connection)")?;
    let created = dysa_cloud::platform::create_admin(
        &owner,
        NewAdmin {
            email: email.clone(),
            name,
            password,
        },
    )
    .await;
    match created {
        Ok(id) => {
            let email = dysa_domain::validate::normalize_email(&email);
            println!("Cuenta de plataforma creada / platform account created: {email} ({id})");
            Ok(())
        }
        Err(PlatformError::Invalid(fields)) => {
            let problems: Vec<String> = fields
                .0
                .iter()
                .map(|(field, issue)| {
                    format!(
                        "{field}: {}",
                        issue.message(dysa_domain::validate::Lang::En)
                    )
                })
                .collect();
            anyhow::bail!("invalid input: {}", problems.join("; "))
        }
        Err(PlatformError::EmailTaken) => {
            anyhow::bail!("an account with the email {email} already exists")
        }
        Err(error) => Err(error).context("creating the platform account"),
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let listen = settings.listen;
    let state = dysa_cloud::open(settings)
        .await
        .context("preparing the database (migrations, service role)")?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let local = listener.local_addr()?;
    tracing::info!(listen = %local, "cloud serving at http://{local}/ (docs at /api/docs)");
    dysa_cloud::serve(listener, state, dysa_web::shutdown::signal()).await?;
    tracing::info!("cloud stopped cleanly");
    Ok(())
}

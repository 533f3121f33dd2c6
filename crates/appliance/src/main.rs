//! `dysa-appliance`: the headless appliance server, and its setup command.

use anyhow::Context;
use clap::{Parser, Subcommand};
use dysa_appliance::settings::{Overrides, Settings};
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

/// ChatBotDysa appliance: the restaurant's local server.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// TOML configuration file (default: config.toml in the data directory).
    #[arg(long, env = "DYSA_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Data directory (database, secrets, backups).
    #[arg(long, env = "DYSA_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "DYSA_LISTEN", global = true)]
    listen: Option<SocketAddr>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Print the API's OpenAPI document (JSON) and exit; the panel's client is generated
    /// from it.
    Openapi,
    /// Create the restaurant and its first admin, for installs with no screen.
    Setup {
        /// The restaurant's name.
        #[arg(long)]
        restaurant_name: String,
        /// The admin's name.
        #[arg(long)]
        name: String,
        /// The admin's email.
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input (else from
        /// DYSA_SETUP_PASSWORD), so it never shows in the process list.
        #[arg(long)]
        password_stdin: bool,
        /// Optional 4–6 digit PIN.
        #[arg(long)]
        pin: Option<String>,
    },
    /// Restore a backup (`<data_dir>/backups/*.dysabak`) into the data directory. Refuses
    /// while the appliance runs there; verifies the file before touching anything and
    /// keeps the current database aside as `dysa.db.before-restore-<timestamp>`.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if matches!(cli.command, Some(Command::Openapi)) {
        println!("{}", dysa_appliance::http::openapi_json());
        return Ok(());
    }
    let overrides = Overrides {
        listen: cli.listen,
        data_dir: cli.data_dir.clone(),
    };
    let settings = Settings::load(cli.config.as_deref(), &overrides)?;
    dysa_web::telemetry::init(settings.log_format);
    if matches!(
        cli.command,
        None | Some(Command::Serve) | Some(Command::Restore { .. })
    ) {
        // Before the runtime starts: the Secret Service client blocks on D-Bus. Without a
        // keyring the cloud token goes to a 0600 file in the data directory.
        dysa_appliance::sync::token::platform_keyring();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(settings).await,
            Command::Openapi => Ok(()),
            Command::Restore { file } => restore(settings, file).await,
            Command::Setup {
                restaurant_name,
                name,
                email,
                password_stdin,
                pin,
            } => {
                let password = if password_stdin {
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .context("reading the password")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                } else {
                    std::env::var("DYSA_SETUP_PASSWORD")
                        .context("give the password with --password-stdin or DYSA_SETUP_PASSWORD")?
                };
                setup(settings, restaurant_name, name, email, password, pin).await
            }
        }
    })
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let listen = settings.listen;
    let data_dir = settings.data_dir.clone();
    let state = dysa_appliance::open(settings)
        .await
        .context("opening the data directory")?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let local = listener.local_addr()?;
    tracing::info!(listen = %local, data_dir = %data_dir.display(), "appliance serving at http://{local}/");
    dysa_appliance::serve(listener, state, dysa_web::shutdown::signal()).await?;
    tracing::info!("appliance stopped cleanly");
    Ok(())
}

async fn restore(settings: Settings, file: PathBuf) -> anyhow::Result<()> {
    let report = dysa_appliance::backup::restore(&settings.data_dir, &file)
        .await
        .with_context(|| format!("restoring {}", file.display()))?;
    // The restore goes in the restored database's own audit log.
    let db = dysa_appliance::store::Db::open(&report.database)
        .await
        .context("opening the restored database")?;
    dysa_appliance::audit::record_restore(&db, &report)
        .await
        .context("recording the restore in the audit log")?;
    db.close().await;
    println!(
        "Restaurado / restored: {} -> {} ({} bytes, integrity_check ok, device {}).",
        report.from.display(),
        report.database.display(),
        report.size_bytes,
        report.device_id
    );
    match report.set_aside {
        Some(aside) => println!(
            "La base anterior quedó en / the previous database was kept at: {}",
            aside.display()
        ),
        None => println!("No había base anterior / there was no previous database."),
    }
    println!(
        "Al iniciar, el appliance vuelve a sincronizar desde el momento del respaldo / on start the appliance re-syncs from the backup's moment."
    );
    Ok(())
}

async fn setup(
    settings: Settings,
    restaurant_name: String,
    name: String,
    email: String,
    password: String,
    pin: Option<String>,
) -> anyhow::Result<()> {
    let state = dysa_appliance::open(settings)
        .await
        .context("opening the data directory")?;
    let result = dysa_appliance::accounts::setup(
        &state.db,
        &state.signer,
        dysa_appliance::accounts::SetupInput {
            restaurant_name,
            name,
            email,
            password,
            pin,
        },
    )
    .await;
    dysa_appliance::close(&state).await;
    match result {
        Ok(signed_in) => {
            println!(
                "Listo: administrador {} creado ({}).",
                signed_in.user.name, signed_in.user.email
            );
            Ok(())
        }
        Err(dysa_appliance::accounts::AccountError::Invalid(fields)) => {
            let lines: Vec<String> = fields
                .0
                .iter()
                .map(|(field, issue)| {
                    format!(
                        "  {field}: {}",
                        issue.message(dysa_domain::validate::Lang::Es)
                    )
                })
                .collect();
            anyhow::bail!("datos no válidos:\n{}", lines.join("\n"))
        }
        Err(error) => Err(error.into()),
    }
}

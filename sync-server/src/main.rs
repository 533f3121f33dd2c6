//! `dysa-cloud`: the cloud service.

use anyhow::Context;
use clap::Parser;
use dysa_cloud::settings::{Overrides, Settings};
use std::net::SocketAddr;
use std::path::PathBuf;

/// ChatBotDysa cloud service: tenants, devices and the owners' dashboard API.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// TOML configuration file (default: dysa-cloud.toml in the working directory).
    #[arg(long, env = "DYSA_CLOUD_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on (default 127.0.0.1:8005).
    #[arg(long, env = "DYSA_CLOUD_LISTEN")]
    listen: Option<SocketAddr>,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref(), &Overrides { listen: cli.listen })?;
    dysa_cloud::telemetry::init(settings.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(serve(settings))
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
    dysa_cloud::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("cloud stopped cleanly");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}

//! The appliance running inside the desktop app: the very server the headless binary
//! runs, on the same data directory and settings, stopped through the same graceful path
//! as SIGTERM (in-flight requests finish, sync stops, the database is checkpointed).

use dysa_appliance::settings::Settings;
use dysa_appliance::state::AppState;
use dysa_appliance::store::StoreError;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Why the appliance did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The data directory could not be opened.
    #[error(transparent)]
    Open(#[from] dysa_appliance::OpenError),
    /// The address is taken (another appliance, the headless service?) or not ours.
    #[error("cannot listen on {listen}: {source}")]
    Bind {
        /// The address.
        listen: SocketAddr,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

/// The running appliance.
#[derive(Debug)]
pub struct Embedded {
    /// Its state (database, events, sync).
    pub state: AppState,
    /// The address it listens on.
    pub local: SocketAddr,
    shutdown: Mutex<Option<oneshot::Sender<()>>>,
    served: tokio::sync::Mutex<Option<JoinHandle<std::io::Result<()>>>>,
}

impl Embedded {
    /// Opens the data directory and starts serving.
    pub async fn start(settings: Settings) -> Result<Embedded, StartError> {
        let listen = settings.listen;
        let data_dir = settings.data_dir.clone();
        let state = dysa_appliance::open(settings).await?;
        let listener = match tokio::net::TcpListener::bind(listen).await {
            Ok(listener) => listener,
            Err(source) => {
                state.sync.stop();
                state.db.close().await;
                return Err(StartError::Bind { listen, source });
            }
        };
        let local = listener
            .local_addr()
            .map_err(|source| StartError::Bind { listen, source })?;
        tracing::info!(listen = %local, data_dir = %data_dir.display(), "appliance serving at http://{local}/");
        let (shutdown, requested) = oneshot::channel::<()>();
        let served = tokio::spawn(dysa_appliance::serve(listener, state.clone(), async {
            let _ = requested.await;
        }));
        Ok(Embedded {
            state,
            local,
            shutdown: Mutex::new(Some(shutdown)),
            served: tokio::sync::Mutex::new(Some(served)),
        })
    }

    /// The panel's address as this machine reaches it: loopback when listening on every
    /// interface (a loopback IP passes the panel's Host and Origin checks).
    pub fn panel_url(&self) -> String {
        let ip = match self.local.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => IpAddr::from([127, 0, 0, 1]),
            ip if ip.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/", SocketAddr::new(ip, self.local.port()))
    }

    /// Stops serving gracefully and closes the database; returns once it is closed.
    /// A second call waits for nothing.
    pub async fn stop(&self) -> std::io::Result<()> {
        if let Some(shutdown) = self
            .shutdown
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            tracing::info!("shutdown requested; finishing in-flight requests");
            let _ = shutdown.send(());
        }
        let served = self.served.lock().await.take();
        match served {
            Some(task) => match task.await {
                Ok(result) => result,
                Err(error) => Err(std::io::Error::other(error.to_string())),
            },
            None => Ok(()),
        }
    }
}

/// Whether online orders are paused.
pub async fn online_paused(state: &AppState) -> Result<bool, StoreError> {
    dysa_appliance::ordering::online_paused(&state.db).await
}

/// Pauses or resumes online orders: the appliance's own operation (the panel's switch
/// calls it too), which writes the synced setting the cloud obeys and tells open panels.
pub async fn set_online_paused(state: &AppState, paused: bool) -> Result<(), StoreError> {
    dysa_appliance::ordering::set_online_paused(&state.orders, paused).await?;
    Ok(())
}

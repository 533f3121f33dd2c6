//! ChatBotDysa for the counter PC: the appliance runs in this process and its admin
//! panel shows in a window; a tray icon keeps it at hand (and keeps it running when the
//! window is closed). Everything here is glue: the server is `dysa_appliance`.

pub mod embedded;
pub mod glance;
pub mod logs;
pub mod ollama;

use anyhow::Context;
use clap::Parser;
use dysa_appliance::settings::{Overrides, Settings};
use embedded::Embedded;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, MenuBuilder, MenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, RunEvent, WebviewUrl, WebviewWindowBuilder, WindowEvent, Wry};
use tauri_plugin_autostart::ManagerExt as _;
use tauri_plugin_notification::NotificationExt as _;
use tauri_plugin_opener::OpenerExt as _;

/// The main window's label.
const MAIN_WINDOW: &str = "main";
/// The model download window's label.
const MODEL_WINDOW: &str = "model";
/// The tray icon's id.
const TRAY: &str = "tray";
/// The line the log shows when the app quit cleanly (the smoke test looks for it).
pub const CLEAN_EXIT_LINE: &str = "desktop app stopped cleanly";
/// The address the model window's "download" link points to; intercepted, never loaded.
const PULL_LINK: &str = "https://dysa.invalid/pull";

/// Command line of the desktop app. Also what a second launch forwards to the first.
#[derive(Debug, Parser)]
#[command(
    name = "dysa-desktop",
    version,
    about = "ChatBotDysa: el local en este equipo"
)]
pub struct Cli {
    /// TOML configuration file (default: config.toml in the data directory).
    #[arg(long, env = "DYSA_CONFIG")]
    pub config: Option<PathBuf>,
    /// Data directory (database, secrets, logs).
    #[arg(long, env = "DYSA_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Address the appliance listens on.
    #[arg(long, env = "DYSA_LISTEN")]
    pub listen: Option<std::net::SocketAddr>,
    /// Start with the window hidden (start at login).
    #[arg(long)]
    pub minimized: bool,
    /// Ask the running app to quit, as its tray's "Salir" does.
    #[arg(long)]
    pub quit: bool,
}

/// What the Tauri handlers share.
struct Shared {
    appliance: Embedded,
    data_dir: PathBuf,
    ollama: tokio::sync::Mutex<Option<ollama::Sidecar>>,
    quitting: AtomicBool,
    link_watch: Mutex<glance::LinkWatch>,
    pause_item: CheckMenuItem<Wry>,
}

/// Runs the app until it quits; returns the process's exit code.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let overrides = Overrides {
        listen: cli.listen,
        data_dir: cli.data_dir.clone(),
    };
    let settings = Settings::load(cli.config.as_deref(), &overrides)?;
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("creating {}", settings.data_dir.display()))?;
    let _log_guard = logs::init(&logs::log_dir(&settings.data_dir))?;
    // Our own runtime, shared with Tauri, so the appliance's tasks and Tauri's are one pool.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    tauri::async_runtime::set(runtime.handle().clone());

    let start_hidden = cli.minimized;
    let settings_for_setup = Mutex::new(Some(settings));
    let app = tauri::Builder::default()
        // First: a second launch hands its arguments to us and exits before starting
        // anything of its own.
        .plugin(tauri_plugin_single_instance::init(
            |app, argv, _cwd| match Cli::try_parse_from(&argv) {
                Ok(second) if second.quit => quit(app),
                _ => show_main_window(app),
            },
        ))
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .args(["--minimized"])
                .build(),
        )
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| {
            let settings = settings_for_setup
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take()
                .context("setup ran twice")?;
            if cli.quit {
                // Nobody to ask: no instance runs.
                tracing::info!("--quit given but no ChatBotDysa is running");
                app.handle().exit(0);
                return Ok(());
            }
            setup(app.handle(), settings, start_hidden)?;
            Ok(())
        })
        .build(tauri::generate_context!())
        .context("building the app")?;
    app.run(|app, event| match event {
        RunEvent::WindowEvent {
            label,
            event: WindowEvent::CloseRequested { api, .. },
            ..
        } if label == MAIN_WINDOW => {
            // Closing the window keeps the restaurant open: orders keep arriving.
            api.prevent_close();
            if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
                let _ = window.hide();
            }
        }
        RunEvent::ExitRequested {
            code: None, api, ..
        } => {
            // The last window closed: stay in the tray. Only `quit` exits (with a code).
            api.prevent_exit();
        }
        _ => {}
    });
    drop(runtime);
    Ok(())
}

fn setup(app: &AppHandle, settings: Settings, start_hidden: bool) -> anyhow::Result<()> {
    let data_dir = settings.data_dir.clone();
    // Before the runtime uses it: the Secret Service client blocks on D-Bus. Without a
    // keyring the cloud token and the signing key go to 0600 files.
    dysa_appliance::sync::token::platform_keyring();
    let ollama_url = settings.ollama_url.clone();
    let appliance = tauri::async_runtime::block_on(Embedded::start(settings))
        .context("starting the appliance")?;
    let panel = appliance.panel_url();
    let paused =
        tauri::async_runtime::block_on(embedded::online_paused(&appliance.state)).unwrap_or(false);

    let pause_item = CheckMenuItem::with_id(
        app,
        "pause",
        "Pausar pedidos en línea",
        true,
        paused,
        None::<&str>,
    )?;
    let autostart_item = CheckMenuItem::with_id(
        app,
        "autostart",
        "Iniciar con el equipo",
        true,
        app.autolaunch().is_enabled().unwrap_or(false),
        None::<&str>,
    )?;
    let menu = MenuBuilder::new(app)
        .item(&MenuItem::with_id(
            app,
            "open",
            "Abrir panel",
            true,
            None::<&str>,
        )?)
        .item(&pause_item)
        .item(&MenuItem::with_id(
            app,
            "sync",
            "Sincronizar ahora",
            true,
            None::<&str>,
        )?)
        .item(&MenuItem::with_id(
            app,
            "model",
            "Modelo del asistente…",
            true,
            None::<&str>,
        )?)
        .separator()
        .item(&MenuItem::with_id(
            app,
            "data",
            "Abrir carpeta de datos",
            true,
            None::<&str>,
        )?)
        .item(&MenuItem::with_id(
            app,
            "logs",
            "Abrir registros",
            true,
            None::<&str>,
        )?)
        .item(&autostart_item)
        .separator()
        .item(&MenuItem::with_id(
            app,
            "quit",
            "Salir (cerrar el local)",
            true,
            None::<&str>,
        )?)
        .build()?;
    let look = glance::tray_look(None, paused);
    TrayIconBuilder::with_id(TRAY)
        .icon(Image::from_bytes(look.icon.png())?)
        .tooltip(&look.tooltip)
        .menu(&menu)
        .on_menu_event(move |app, event| match event.id.as_ref() {
            "open" => show_main_window(app),
            "pause" => toggle_pause(app),
            "sync" => {
                if let Some(shared) = app.try_state::<Arc<Shared>>() {
                    shared.appliance.state.sync.sync_now();
                }
            }
            "model" => open_model_window(app),
            "data" => open_folder(app, |shared| shared.data_dir.clone()),
            "logs" => open_folder(app, |shared| logs::log_dir(&shared.data_dir)),
            "autostart" => {
                let launcher = app.autolaunch();
                let enable = !launcher.is_enabled().unwrap_or(false);
                let result = if enable {
                    launcher.enable()
                } else {
                    launcher.disable()
                };
                if let Err(error) = result {
                    tracing::warn!(%error, "could not change start at login");
                }
                let _ = autostart_item.set_checked(launcher.is_enabled().unwrap_or(false));
            }
            "quit" => quit(app),
            _ => {}
        })
        .build(app)?;

    let url = panel.parse().context("panel URL")?;
    WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::External(url))
        .title("ChatBotDysa")
        .inner_size(1280.0, 800.0)
        .min_inner_size(800.0, 560.0)
        .visible(!start_hidden)
        .build()?;

    let shared = Arc::new(Shared {
        appliance,
        data_dir: data_dir.clone(),
        ollama: tokio::sync::Mutex::new(None),
        quitting: AtomicBool::new(false),
        link_watch: Mutex::new(glance::LinkWatch::default()),
        pause_item,
    });
    app.manage(shared.clone());
    tauri::async_runtime::spawn(watch_state(app.clone(), shared.clone()));
    tauri::async_runtime::spawn(start_ollama(app.clone(), shared, ollama_url));
    tauri::async_runtime::spawn(quit_on_signal(app.clone()));
    Ok(())
}

/// Shows, unminimises and focuses the panel window.
fn show_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

fn open_folder(app: &AppHandle, which: impl Fn(&Shared) -> PathBuf) {
    let Some(shared) = app.try_state::<Arc<Shared>>() else {
        return;
    };
    let folder = which(&shared);
    let _ = std::fs::create_dir_all(&folder);
    if let Err(error) = app
        .opener()
        .open_path(folder.display().to_string(), None::<&str>)
    {
        tracing::warn!(%error, folder = %folder.display(), "could not open the folder");
    }
}

fn toggle_pause(app: &AppHandle) {
    let Some(shared) = app.try_state::<Arc<Shared>>() else {
        return;
    };
    let shared = shared.inner().clone();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = &shared.appliance.state;
        let now = embedded::online_paused(state).await.unwrap_or(false);
        if let Err(error) = embedded::set_online_paused(state, !now).await {
            tracing::error!(%error, "could not change the online orders pause");
        }
        refresh_tray(&app, &shared).await;
    });
}

/// The one way out: the tray's "Salir", a second launch with `--quit`, SIGTERM. Stops the
/// appliance gracefully (the same path as the headless binary's SIGTERM), then the
/// bundled Ollama, then exits 0.
pub fn quit(app: &AppHandle) {
    let Some(shared) = app.try_state::<Arc<Shared>>() else {
        app.exit(0);
        return;
    };
    if shared.quitting.swap(true, Ordering::SeqCst) {
        return;
    }
    let shared = shared.inner().clone();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
            let _ = window.hide();
        }
        let code = match shared.appliance.stop().await {
            Ok(()) => 0,
            Err(error) => {
                tracing::error!(%error, "the appliance stopped with an error");
                1
            }
        };
        if let Some(sidecar) = shared.ollama.lock().await.take() {
            sidecar.stop(Duration::from_secs(5)).await;
        }
        if code == 0 {
            tracing::info!("{CLEAN_EXIT_LINE}");
        }
        app.exit(code);
    });
}

async fn quit_on_signal(app: AppHandle) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
        quit(&app);
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_ok() {
            quit(&app);
        }
    }
}

/// Keeps the tray in step with the appliance and raises the notifications: on every live
/// event, and every 10 s (waiting changes and a lost link's minute pass silently).
async fn watch_state(app: AppHandle, shared: Arc<Shared>) {
    let mut events = shared.appliance.state.events.subscribe();
    let mut tick = tokio::time::interval(Duration::from_secs(10));
    loop {
        tokio::select! {
            received = events.recv() => match received {
                Ok(event) => {
                    if let Some(notice) = glance::notice_for(&event) {
                        notify(&app, &notice);
                    }
                    if !matches!(
                        event.kind,
                        dysa_appliance::events::EventKind::Sync
                            | dysa_appliance::events::EventKind::SettingsUpdated
                    ) {
                        continue;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            },
            _ = tick.tick() => {}
        }
        if shared.quitting.load(Ordering::SeqCst) {
            return;
        }
        refresh_tray(&app, &shared).await;
    }
}

async fn refresh_tray(app: &AppHandle, shared: &Shared) {
    let state = &shared.appliance.state;
    let status = dysa_appliance::sync::status(&state.db).await.ok();
    let paused = embedded::online_paused(state).await.unwrap_or(false);
    let look = glance::tray_look(status.as_ref(), paused);
    if let Some(status) = &status {
        let notice = shared
            .link_watch
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .observe(status.link, Instant::now());
        if let Some(notice) = notice {
            notify(app, &notice);
        }
    }
    let _ = shared.pause_item.set_checked(paused);
    if let Some(tray) = app.tray_by_id(TRAY) {
        apply_look(&tray, &look);
    }
}

fn apply_look(tray: &TrayIcon<Wry>, look: &glance::TrayLook) {
    if let Ok(icon) = Image::from_bytes(look.icon.png()) {
        let _ = tray.set_icon(Some(icon));
    }
    let _ = tray.set_tooltip(Some(&look.tooltip));
}

fn notify(app: &AppHandle, notice: &glance::Notice) {
    if let Err(error) = app
        .notification()
        .builder()
        .title(&notice.title)
        .body(&notice.body)
        .show()
    {
        tracing::debug!(%error, "notification not shown");
    }
}

/// Name of the marker left once the model download was offered, so it is offered on the
/// first run only (the tray keeps the item).
const MODEL_OFFERED: &str = "desktop-model-offered";

async fn start_ollama(app: AppHandle, shared: Arc<Shared>, url: String) {
    let http = reqwest::Client::new();
    let source = ollama::ensure(
        &http,
        &url,
        ollama::sidecar_path().as_deref(),
        &shared.data_dir.join("ollama-models"),
        Duration::from_secs(30),
    )
    .await;
    let up = match source {
        ollama::OllamaSource::External => true,
        ollama::OllamaSource::Sidecar(sidecar) => {
            if shared.quitting.load(Ordering::SeqCst) {
                sidecar.stop(Duration::from_secs(5)).await;
                return;
            }
            *shared.ollama.lock().await = Some(sidecar);
            true
        }
        ollama::OllamaSource::Unavailable { reason } => {
            tracing::warn!(%reason, "no Ollama: the assistant uses its basic (rule-based) understanding");
            false
        }
    };
    let marker = shared.data_dir.join(MODEL_OFFERED);
    if !up || marker.exists() {
        return;
    }
    let link = dysa_appliance::assistant::ollama::OllamaLink::new(
        &shared.appliance.state.settings,
        shared.appliance.state.http.clone(),
    );
    let model = link.model().to_owned();
    let installed = link
        .models()
        .await
        .map(|models| models.iter().any(|m| m.name == model))
        .unwrap_or(true);
    if !installed {
        let _ = std::fs::write(&marker, b"");
        open_model_window(&app);
    }
}

/// Opens (or focuses) the window that offers to download the assistant's model.
fn open_model_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MODEL_WINDOW) {
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let Some(shared) = app.try_state::<Arc<Shared>>() else {
        return;
    };
    let model = shared.appliance.state.settings.ollama_model.clone();
    let handle = app.clone();
    let started = Arc::new(AtomicBool::new(false));
    let built = WebviewWindowBuilder::new(app, MODEL_WINDOW, WebviewUrl::App("model.html".into()))
        .title("Modelo del asistente")
        .inner_size(520.0, 300.0)
        .resizable(false)
        .initialization_script(format!(
            "window.DYSA_MODEL = {};",
            serde_json::Value::String(model)
        ))
        .on_navigation(move |url| {
            if url.as_str() != PULL_LINK {
                return true;
            }
            if !started.swap(true, Ordering::SeqCst) {
                tauri::async_runtime::spawn(pull_model(handle.clone(), started.clone()));
            }
            false
        })
        .build();
    if let Err(error) = built {
        tracing::warn!(%error, "could not open the model window");
    }
}

/// Pulls the configured model through the appliance's Ollama link, showing progress in
/// the model window.
async fn pull_model(app: AppHandle, started: Arc<AtomicBool>) {
    use futures::StreamExt as _;
    let Some(shared) = app.try_state::<Arc<Shared>>() else {
        return;
    };
    let link = dysa_appliance::assistant::ollama::OllamaLink::new(
        &shared.appliance.state.settings,
        shared.appliance.state.http.clone(),
    );
    let show = |script: String| {
        if let Some(window) = app.get_webview_window(MODEL_WINDOW) {
            let _ = window.eval(script);
        }
    };
    // A failed download can be tried again from the same window.
    let failed = |message: String| {
        tracing::warn!(%message, "assistant model download failed");
        started.store(false, Ordering::SeqCst);
        show(format!("dysaFailed({})", js_string(&message)));
    };
    let model = link.model().to_owned();
    let mut progress = match link.pull(model).await {
        Ok(progress) => progress,
        Err(error) => {
            failed(error.to_string());
            return;
        }
    };
    while let Some(step) = progress.next().await {
        match step {
            Ok(step) if step.status == "success" => {
                show("dysaDone()".to_owned());
                tracing::info!("assistant model downloaded");
                return;
            }
            Ok(step) => show(format!(
                "dysaProgress({}, {}, {})",
                step.completed,
                step.total,
                js_string(&step.status)
            )),
            Err(error) => {
                failed(error.to_string());
                return;
            }
        }
    }
    failed("Ollama cortó la descarga antes de terminar / the download ended early".to_owned());
}

fn js_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

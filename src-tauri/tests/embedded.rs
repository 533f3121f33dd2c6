//! The appliance as the desktop app runs it: started on a temporary data directory,
//! the tray's pause toggled (a synced setting waiting in the outbox for the cloud), then
//! stopped on the quit path with the database closed and its WAL checkpointed away.
#![allow(clippy::unwrap_used)]

use dysa_appliance::settings::Settings;
use dysa_desktop::embedded::{self, Embedded};

#[tokio::test]
async fn pause_is_a_synced_setting_and_quit_closes_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        data_dir: dir.path().to_path_buf(),
        listen: "127.0.0.1:0".parse().unwrap(),
        ..Settings::default()
    };
    let appliance = Embedded::start(settings).await.unwrap();
    let url = appliance.panel_url();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let health = reqwest::get(format!("{url}health")).await.unwrap();
    assert!(health.status().is_success());

    let state = appliance.state.clone();
    let pending_before = dysa_appliance::store::outbox::pending_count(&state.db.read)
        .await
        .unwrap();
    assert!(!embedded::online_paused(&state).await.unwrap());
    let mut events = state.events.subscribe();
    embedded::set_online_paused(&state, true).await.unwrap();
    assert!(embedded::online_paused(&state).await.unwrap());
    let event = events.recv().await.unwrap();
    assert_eq!(
        event.kind,
        dysa_appliance::events::EventKind::SettingsUpdated
    );
    let pending_after = dysa_appliance::store::outbox::pending_count(&state.db.read)
        .await
        .unwrap();
    assert_eq!(
        pending_after,
        pending_before + 1,
        "the change waits for the cloud"
    );
    embedded::set_online_paused(&state, false).await.unwrap();
    assert!(!embedded::online_paused(&state).await.unwrap());

    appliance.stop().await.unwrap();
    // A second quit (tray clicked twice) waits for nothing.
    appliance.stop().await.unwrap();
    assert!(
        reqwest::get(format!("{url}health")).await.is_err(),
        "no longer serving"
    );
    let wal = dir.path().join("dysa.db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "the WAL is checkpointed at shutdown"
    );
}

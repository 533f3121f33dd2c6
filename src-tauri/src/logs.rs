//! Logging for the desktop app: JSON lines into a daily file in the app's log folder
//! (`<data dir>/logs`, kept 14 days: support asks for the folder, staff open it from the
//! tray), and the same lines on stderr for whoever started it from a terminal.

use std::path::{Path, PathBuf};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// How many daily files are kept.
pub const KEEP_DAYS: usize = 14;

/// Prefix of the log files (`dysa-desktop.2026-11-28.log`).
pub const FILE_PREFIX: &str = "dysa-desktop";

/// The log folder for a data directory.
pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Why logging could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot open the log folder {path}: {detail}")]
pub struct LogError {
    path: String,
    detail: String,
}

/// Installs the global subscriber writing to `dir`; keep the guard alive until exit so
/// the last lines reach the file.
pub fn init(dir: &Path) -> Result<WorkerGuard, LogError> {
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEEP_DAYS)
        .build(dir)
        .map_err(|error| LogError {
            path: dir.display().to_string(),
            detail: error.to_string(),
        })?;
    let (file, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                .flatten_event(true)
                .with_writer(file),
        )
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .try_init();
    Ok(guard)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn old_days_are_pruned_to_the_kept_count() {
        let dir = tempfile::tempdir().unwrap();
        for day in 1..=20 {
            std::fs::write(
                dir.path()
                    .join(format!("{FILE_PREFIX}.2026-10-{day:02}.log")),
                "x",
            )
            .unwrap();
        }
        let appender = RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix(FILE_PREFIX)
            .filename_suffix("log")
            .max_log_files(KEEP_DAYS)
            .build(dir.path())
            .unwrap();
        drop(appender);
        let count = std::fs::read_dir(dir.path()).unwrap().count();
        assert!(count <= KEEP_DAYS, "{count} files kept");
    }
}

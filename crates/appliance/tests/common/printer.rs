//! A fake ESC/POS network printer: a TCP server that keeps every ticket's bytes and
//! answers the roll-paper status query (`DLE EOT 4`) the spooler sends before each ticket,
//! as the Epson ESC/POS reference lays the answer out, or stays silent like a printer that
//! does not report its sensors.

use super::PATIENCE;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// `DLE EOT 4`.
const ROLL_STATUS_QUERY: [u8; 3] = [0x10, 0x04, 0x04];

/// Roll paper present, not near its end (bits 1 and 4 are fixed on).
pub const PAPER_OK: u8 = 0x12;
/// Near-end sensor on: it still prints.
pub const PAPER_LOW: u8 = 0x12 | 0x0C;
/// End sensor on: no paper.
pub const PAPER_OUT: u8 = 0x12 | 0x60;

/// The printer; clones share what it received and its paper.
#[derive(Clone)]
pub struct FakePrinter {
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    status_queries: Arc<Mutex<usize>>,
    roll: Arc<Mutex<Option<u8>>>,
}

impl Default for FakePrinter {
    fn default() -> Self {
        FakePrinter {
            received: Arc::default(),
            status_queries: Arc::default(),
            roll: Arc::new(Mutex::new(Some(PAPER_OK))),
        }
    }
}

impl FakePrinter {
    /// What it answers to the status query from now on (`None`: no answer).
    pub fn set_roll(&self, status: Option<u8>) {
        *self.roll.lock().unwrap() = status;
    }

    /// How many status queries it was sent.
    pub fn status_queries(&self) -> usize {
        *self.status_queries.lock().unwrap()
    }

    /// Listens on `listener`: each connection's bytes after the status query are a ticket
    /// (a connection that sends nothing more, as when it said it had no paper, is none).
    pub fn serve(&self, listener: TcpListener) -> tokio::task::JoinHandle<()> {
        let printer = self.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut bytes = Vec::new();
                read_head(&mut socket, &mut bytes).await;
                if bytes.starts_with(&ROLL_STATUS_QUERY) {
                    *printer.status_queries.lock().unwrap() += 1;
                    bytes.drain(..ROLL_STATUS_QUERY.len());
                    let answer = *printer.roll.lock().unwrap();
                    if let Some(status) = answer {
                        let _ = socket.write_all(&[status]).await;
                    }
                }
                let _ = socket.read_to_end(&mut bytes).await;
                if !bytes.is_empty() {
                    printer.received.lock().unwrap().push(bytes);
                }
            }
        })
    }

    /// Every ticket so far.
    pub fn tickets(&self) -> Vec<Vec<u8>> {
        self.received.lock().unwrap().clone()
    }

    /// Waits for at least `count` tickets.
    pub async fn wait_for(&self, count: usize) -> Vec<Vec<u8>> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let tickets = self.tickets();
            if tickets.len() >= count {
                return tickets;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the printer got {} tickets, expected {count}",
                tickets.len()
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

impl FakePrinter {
    /// Waits for at least `count` tickets, read as text (for tickets checked by what they
    /// contain rather than byte for byte).
    pub async fn wait_for_text(&self, count: usize) -> Vec<String> {
        self.wait_for(count)
            .await
            .iter()
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .collect()
    }
}

/// Reads the first bytes of a connection, enough to tell whether it starts with the status
/// query (which must be answered before the ticket follows).
async fn read_head(socket: &mut tokio::net::TcpStream, bytes: &mut Vec<u8>) {
    let mut chunk = [0u8; 512];
    while bytes.len() < ROLL_STATUS_QUERY.len() {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
}

//! `dysa-desktop`: ChatBotDysa on the counter PC.

// No console window behind the app on Windows.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> anyhow::Result<()> {
    dysa_desktop::run()
}

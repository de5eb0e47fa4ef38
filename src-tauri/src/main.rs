//! The `guanxi-app` binary: starts the window (see the library).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    guanxi_app::run()
}

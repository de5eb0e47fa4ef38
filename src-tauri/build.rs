//! Tauri's build step: embeds the app configuration and icons.

fn main() {
    tauri_build::build()
}

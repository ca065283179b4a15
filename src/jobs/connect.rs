//! The client every mode starts from: the commands and the browser alike.

use crate::aws::{self, Client};
use crate::emulator::{self, Emulator, Store};
use crate::exit;
use crate::model::escape_control;
use crate::settings::Settings;

/// Build the client; with `--demo`, start the embedded service first (kept alive by the
/// returned handle). A named profile must exist (exit 253 otherwise); 255 when the demo
/// service cannot start.
pub async fn connect(s: &Settings) -> Result<(Client, Option<Emulator>), (i32, String)> {
    if s.demo {
        let emu = Emulator::start(emulator::Options { store: Store::demo(), ..Default::default() })
            .await
            .map_err(|e| (exit::EXIT_OTHER, format!("cannot start the demo service: {e}")))?;
        let client = Client::demo(&emu.url(), s.aws.clone()).await;
        Ok((client, Some(emu)))
    } else {
        if let Some(p) = &s.aws.profile {
            aws::check_profile(p, &s.profile_source.to_string()).await.map_err(|e| {
                (exit::of(&e), format!("{}\n  Hint: {}", escape_control(&e.message), escape_control(&e.hint)))
            })?;
        }
        Ok((Client::new(s.aws.clone()).await, None))
    }
}

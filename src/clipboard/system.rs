//! The system clipboard: the [`SystemClipboard`] handle (arboard on X11 or Wayland
//! data-control; fakes in tests) and the factory that creates it on the first system copy.

/// A system clipboard handle. The real one is `arboard`; tests use fakes.
pub trait SystemClipboard: Send {
    fn set_text(&mut self, text: &str) -> Result<(), String>;
}

/// Creates the system clipboard handle (called lazily, once it succeeds).
pub type SystemFactory = Box<dyn FnMut() -> Result<Box<dyn SystemClipboard>, String> + Send>;

struct Arboard(arboard::Clipboard);

impl SystemClipboard for Arboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        self.0.set_text(text).map_err(arboard_reason)
    }
}

fn arboard_reason(e: arboard::Error) -> String {
    match e {
        arboard::Error::ClipboardNotSupported => "not supported on this display".to_string(),
        arboard::Error::ClipboardOccupied => "held by another program".to_string(),
        arboard::Error::Unknown { description } => description,
        other => other.to_string(),
    }
}

pub(super) fn arboard_factory() -> Result<Box<dyn SystemClipboard>, String> {
    arboard::Clipboard::new()
        .map(|c| Box::new(Arboard(c)) as Box<dyn SystemClipboard>)
        .map_err(arboard_reason)
}

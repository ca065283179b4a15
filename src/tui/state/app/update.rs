//! [`App::update`]: each [`Action`] routed to the state module that owns it, each key's command
//! ([`App::command`]) to the dialog, pane or mode that has the keyboard, and the edits of the
//! inputs ([`App::edit`]).

use super::*;
use crate::tui::state::inputs::Which;

impl App {
    /// The one place state changes. Every effect returned must be carried out.
    #[must_use]
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let before = self.focus();
        // A message is about the action before: the next thing the user does retires it (the
        // action may leave one of its own).
        if matches!(
            action,
            Action::Cmd(_) | Action::Edit(_) | Action::Paste(_) | Action::Click { .. } | Action::Wheel { .. }
        ) {
            self.chrome.take_notice();
        }
        let mut eff = match action {
            Action::Cmd(c) => self.command(c),
            Action::Edit(req) => {
                self.edit(req);
                vec![]
            }
            Action::Paste(text) => {
                self.paste_text(&text);
                vec![]
            }
            Action::Resize(w, h) => {
                self.chrome.resized(w, h);
                vec![]
            }
            Action::Click { x, y } => {
                self.click(x, y);
                vec![]
            }
            Action::Wheel { down, x, y } => {
                if let Some(f) = self.pane_at(x, y) {
                    self.set_focus(f);
                }
                self.command(if down { Cmd::Down } else { Cmd::Up })
            }
            Action::Clock { now, wall } => {
                self.chrome.tick(now, wall);
                self.watch_tick()
            }
            // To the one who asked (`state::route`).
            Action::JobDone(done) => self.job_done(done),
            Action::Notify(n) => {
                self.notify(n);
                vec![]
            }
            Action::Setup { theme, mouse, show_secrets, tz } => {
                self.chrome.set_theme(*theme);
                self.chrome.set_mouse(mouse);
                self.show_secrets = show_secrets;
                self.recent.set_names_visible(show_secrets);
                self.chrome.set_tz(tz);
                vec![]
            }
            Action::PinpointOff(why) => {
                self.pinpoint.turn_off(why);
                vec![]
            }
            Action::Keys(map) => {
                self.chrome.set_keymap(map);
                vec![]
            }
            Action::AttachHistory { history, persist, warning } => {
                if persist {
                    self.attach_history(*history);
                } else {
                    self.attach_history_in_memory(*history);
                }
                self.recent.warning = warning;
                vec![]
            }
            Action::SaveHistory => self
                .recent
                .save_job()
                .map(|h| Effect::WriteHistory(HistoryCopy(Box::new(h))))
                .into_iter()
                .collect(),
            Action::HistorySaved(done) => {
                let done = *done;
                if let Some(n) = self.recent.save_done(done.job, done.result) {
                    self.notify(n);
                }
                vec![]
            }
            Action::Drawn(drawn) => {
                self.chrome.drew(drawn);
                vec![]
            }
            Action::Scan(ev) => {
                self.scan_event(ev);
                vec![]
            }
            Action::ExportExists(pending) => {
                self.export_exists(*pending);
                vec![]
            }
            Action::ScanResumable(instance) => {
                self.scan_resumable(instance);
                vec![]
            }
            Action::Batch(ev) => {
                self.batch_event(ev);
                vec![]
            }
            Action::CommandSetup { profiles, history, bell, scan_rate } => {
                self.cmdline.profiles = profiles;
                self.cmdline.history = history;
                self.watch.set_bell(bell);
                if scan_rate.is_some() {
                    self.scan.rate = scan_rate;
                }
                vec![]
            }
            Action::Switched { generation, result } => self.switched(generation, result),
        };
        eff.extend(self.after_update(before));
        eff
    }

    /// Quit: cancel what runs, stop a batch, and leave.
    pub(in crate::tui::state) fn quit_all(&mut self) -> Vec<Effect> {
        self.quit = true;
        let mut eff = self.cancel_running();
        self.batch_on_quit();
        eff.push(Effect::Quit);
        eff
    }

    /// The help overlay's keys: it scrolls, Esc or ? closes it, q quits; nothing else.
    pub(in crate::tui::state) fn help_command(&mut self, c: Cmd) -> Vec<Effect> {
        match c {
            Cmd::Quit => return self.quit_all(),
            Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => {
                let max = crate::tui::state::layout::help_max_scroll(self).min(u16::MAX as usize - 1);
                let page = crate::tui::state::layout::help_page(self).max(1) as usize;
                let scroll = self.help().map(|s| cursor::moved(s as usize, max + 1, page, c) as u16);
                self.chrome.set_help(scroll);
            }
            Cmd::Help | Cmd::Cancel => self.chrome.set_help(None),
            _ => {}
        }
        vec![]
    }

    /// The panes' keys (the bottom layer): the scan key, the write keys, then the list, the
    /// completions and Recent, then the keys every pane shares.
    pub(in crate::tui::state) fn panes_command(&mut self, c: Cmd) -> Vec<Effect> {
        if c == Cmd::Scan && !self.focus().is_input() {
            return self.scan_key();
        }
        match c {
            Cmd::RawView => return self.open_raw_view(),
            Cmd::Actions => return self.open_actions(),
            Cmd::Memberships => return self.open_memberships(None),
            _ => {}
        }
        if crate::tui::state::write::is_write_cmd(c) {
            // A write sent while the client is rebuilt would go to the worker being replaced.
            if self.switching() {
                self.notify(Notice::error(
                    "Switching context: the write was not sent (try again in a moment)",
                ));
                return vec![];
            }
            return self.write_key(c);
        }
        if c == Cmd::CopyJson
            && self.focus() != Focus::Recent
            && let Some(eff) = self.copy_removed()
        {
            return eff;
        }
        // Esc in a pane stops a watch first.
        if c == Cmd::Cancel && self.watch().is_some() && self.key_mode() == Mode::Pane && !self.is_loading() {
            return self.stop_watch();
        }
        if let Some(eff) = self.browse_command(c) {
            return eff;
        }
        if self.focus() == Focus::Recent
            && let Some(eff) = self.recent_command(c)
        {
            return eff;
        }
        match c {
            Cmd::Quit => return self.quit_all(),
            Cmd::FocusNext => self.cycle_focus(true),
            Cmd::FocusPrev => self.cycle_focus(false),
            Cmd::FocusArn => self.set_focus(Focus::Arn),
            Cmd::Submit => return self.submit(),
            Cmd::Cancel => return self.cancel(),
            Cmd::Retry => return self.retry(),
            Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => self.move_cursor(c),
            Cmd::ToggleSecrets => {
                self.show_secrets = !self.show_secrets;
                self.recent.set_names_visible(self.show_secrets);
                self.notify(Notice::info(if self.show_secrets {
                    "Secrets shown (s masks them again)"
                } else {
                    "Secrets masked"
                }));
            }
            Cmd::CopyField => return self.copy_field(),
            Cmd::CopyJson => return self.copy_json(),
            Cmd::CopyCommand => return self.copy_command(),
            Cmd::Help => self.chrome.set_help(Some(0)),
            Cmd::Filter | Cmd::Forget => return self.recent_elsewhere(c),
            Cmd::Unforget => return self.unforget(),
            Cmd::CommandLine => self.open_command_line(),
            Cmd::Watch => return self.start_watch(crate::tui::state::command::DEFAULT_WATCH_SECS),
            Cmd::SortNext | Cmd::SortPrev => {
                self.notify(Notice::info("< and > sort a list (:instances, :endpoints ARN)"))
            }
            Cmd::Back | Cmd::Complete | Cmd::CompleteBack => {}
            Cmd::FlipMessages
            | Cmd::EditEndpoint
            | Cmd::Deregister
            | Cmd::Register
            | Cmd::Reregister
            | Cmd::TestPush
            | Cmd::Silent
            | Cmd::Confirm
            | Cmd::Scan
            | Cmd::Mark
            | Cmd::MarkAll
            | Cmd::RawView
            | Cmd::Actions
            | Cmd::Memberships
            | Cmd::NextMatch
            | Cmd::PrevMatch => {}
        }
        vec![]
    }

    /// An edit in the panes: a filter being typed, the completions, else the focused input.
    pub(in crate::tui::state) fn panes_edit(&mut self, req: InputRequest) {
        if self.recent_filter_editing() {
            return self.recent_edit(req);
        }
        if self.browse_edit(req) {
            return;
        }
        // A terminal without bracketed paste types "ARN ep-1" key by key: a space or comma
        // after an ARN (which holds neither) splits it as a bracketed paste does, and what
        // follows goes to the endpoint ID input.
        if let InputRequest::InsertChar(c) = req
            && (c.is_whitespace() || c == ',')
            && self.focus() == Focus::Arn
            && self.arn().value().starts_with("arn:")
            && self.arn().cursor() == self.arn().value().chars().count()
        {
            self.set_focus(Focus::EndpointId);
            self.inputs.clear(Which::EndpointId);
            return;
        }
        // (The space of "ARN, ep-1" is not the endpoint ID's.)
        if let InputRequest::InsertChar(c) = req
            && c.is_whitespace()
            && self.focus() == Focus::EndpointId
            && self.endpoint_id().value().is_empty()
        {
            return;
        }
        let which = match self.focus() {
            Focus::Arn => Which::Arn,
            Focus::EndpointId => Which::EndpointId,
            _ => return,
        };
        if let InputRequest::InsertChar(c) = req
            && (c.is_control() || self.inputs.get(which).value().len() >= MAX_PASTE * 4)
        {
            return;
        }
        self.inputs.handle(which, req);
    }
}

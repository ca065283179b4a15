//! The Scan pane's state: a background scan's progress, its counts, and the list of
//! endpoints that cannot receive, browsable and filterable; Enter names the endpoint to open in
//! the detail pane. Changed only by [`ScanPane::apply`] (the engine's events) and
//! [`ScanPane::key`]; drawn by `ui::scan`.

use super::app::{App, Focus};
use super::batch::BatchRun;
use super::list::Rows;
use super::picker::{Keep, Picker};
use crate::jobs::worker::Query;
use crate::model::Health;
use crate::scan::background::Event;
use crate::scan::report::Row;
use crate::scan::{Outcome, Progress};
use crate::tui::action::{Cmd, Effect, Notice, ScanStart};
use crate::tui::keymap::HintFocus;
use std::collections::BTreeSet;

/// The most rows the pane holds; past it they are counted (the checkpoint's rows file, or
/// `chimescope scan`, has them all).
pub const MAX_ROWS: usize = 10_000;

/// Where the scan is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Run {
    Running,
    /// Stopped with Esc: the checkpoint is kept, `S` again resumes.
    Stopped,
    Finished,
    Failed(String),
}

/// The Scan pane.
#[derive(Clone, Debug)]
pub struct ScanPane {
    pub instance: String,
    pub run: Run,
    pub progress: Progress,
    rows: Vec<Row>,
    /// Rows found past [`MAX_ROWS`].
    pub more: u64,
    /// What the list is filtered by (matched against what a row shows), if anything.
    pub filter: String,
    /// The rows the filter lets through, the selected one among them, and the rows marked
    /// (Space, `*`) for a batch deregistration, by their place in the pane.
    picker: Picker,
    /// The batch deregistration sent from the pane, if any (`super::batch`).
    pub batch: Option<BatchRun>,
    /// Requests a second the scan was started at (a batch from the pane goes at it too).
    pub rate: f64,
    /// Started with the doctor's checks (`:scan --diagnose`, `d`).
    pub diagnose: bool,
}

impl ScanPane {
    pub fn new(instance: &str) -> Self {
        Self {
            instance: instance.to_string(),
            run: Run::Running,
            progress: Progress::default(),
            rows: Vec::new(),
            more: 0,
            filter: String::new(),
            picker: Picker::default(),
            batch: None,
            rate: crate::tui::scanner::RATE,
            diagnose: false,
        }
    }

    /// One event of the background scan.
    pub fn apply(&mut self, ev: Event) {
        match ev {
            Event::Progress(p) => self.progress = *p,
            Event::CannotReceive(r) => {
                if self.rows.len() < MAX_ROWS {
                    self.rows.push(*r);
                    let i = self.rows.len() - 1;
                    if self.passes(i) {
                        self.picker.push(i);
                    }
                } else {
                    self.more += 1;
                }
            }
            Event::Done(Ok(Outcome::Finished)) => self.run = Run::Finished,
            Event::Done(Ok(Outcome::Stopped)) => self.run = Run::Stopped,
            Event::Done(Err(e)) => self.run = Run::Failed(e),
        }
    }

    /// What a row shows, for the filter: user, endpoint, type, state.
    pub fn row_text(r: &Row) -> String {
        format!(
            "{} {} {} {} {} {}",
            crate::model::short_user(&r.app_instance_user_arn),
            r.endpoint_id,
            r.r#type.as_deref().unwrap_or(""),
            r.status.as_deref().unwrap_or("no state"),
            r.status_reason.as_deref().unwrap_or(""),
            r.allow_messages.as_deref().map_or(String::new(), |a| format!("AllowMessages {a}")),
        )
    }

    /// Why a row cannot receive, in words, and how bad: "INACTIVE INVALID_DEVICE_TOKEN"
    /// (broken), "ACTIVE · pinpoint-app-missing" (its worst finding, broken), "ACTIVE · opted
    /// out (AllowMessages NONE)" (muted: the user's choice), "no state" (unknown).
    pub fn why(r: &Row) -> (Health, String) {
        let esc = |s: &str| crate::model::escape_control(s).into_owned();
        match r.status.as_deref() {
            Some("INACTIVE") => (
                Health::Broken,
                format!("INACTIVE {}", r.status_reason.as_deref().map(esc).unwrap_or_default())
                    .trim_end()
                    .into(),
            ),
            Some(s) => {
                let worst = r.findings.as_deref().unwrap_or_default().iter().find(|f| f.severity == "error");
                match worst {
                    Some(f) => (Health::Broken, format!("{} · {}", esc(s), esc(&f.code))),
                    None if r.opted_out || r.allow_messages.as_deref() == Some("NONE") => {
                        (Health::Muted, format!("{} · opted out (AllowMessages NONE)", esc(s)))
                    }
                    None => (Health::Broken, esc(s)),
                }
            }
            None => (Health::Unknown, "no state".into()),
        }
    }

    /// A row in one line, as the pane and the batch's dry run show it: user, ID, type, why it
    /// cannot receive.
    pub fn row_line(r: &Row) -> String {
        let esc = |s: &str| crate::model::escape_control(s).into_owned();
        format!(
            "{}  {}  {}  {}",
            esc(crate::model::short_user(&r.app_instance_user_arn)),
            esc(&r.endpoint_id),
            esc(r.r#type.as_deref().unwrap_or("?")),
            Self::why(r).1
        )
    }

    /// The row at `i` (its place in the pane, not among those shown).
    pub fn row(&self, i: usize) -> Option<&Row> {
        self.rows.get(i)
    }

    /// What the filter matches of row `i`: what it shows, and what a batch made of it.
    fn text_of(&self, i: usize, r: &Row) -> String {
        let mut t = Self::row_text(r);
        if let Some(o) = self.batch.as_ref().and_then(|b| b.outcome(i)) {
            t.push(' ');
            t.push_str(super::batch::outcome_word(o));
        }
        if self.picker.is_marked(i) {
            t.push_str(" marked");
        }
        t
    }

    /// Whether the filter lets row `i` through.
    fn passes(&self, i: usize) -> bool {
        let f = self.filter.to_lowercase();
        f.is_empty() || self.rows.get(i).is_some_and(|r| self.text_of(i, r).to_lowercase().contains(&f))
    }

    /// Apply the filter again (it sees the marks and what a batch made of each row).
    fn refilter(&mut self, keep: Keep) {
        let shown = (0..self.rows.len()).filter(|&i| self.passes(i)).collect();
        self.picker.show(shown, keep);
    }

    /// The marks or a batch's outcomes changed: what the filter lets through may have too.
    pub fn refresh(&mut self) {
        if !self.filter.is_empty() {
            self.refilter(Keep::Place);
        }
    }

    /// The places of the rows the filter lets through.
    pub fn visible_indices(&self) -> &[usize] {
        self.picker.visible()
    }

    /// The rows the filter lets through.
    pub fn visible(&self) -> Vec<&Row> {
        self.visible_indices().iter().filter_map(|&i| self.rows.get(i)).collect()
    }

    /// The selected row's place among those shown.
    pub fn cursor(&self) -> usize {
        self.picker.cursor()
    }

    /// Put the cursor at place `pos` among the rows shown (a click).
    pub fn select_pos(&mut self, pos: usize) -> bool {
        self.picker.select_pos(pos)
    }

    /// The rows marked, by their place in the pane.
    pub fn marked(&self) -> &BTreeSet<usize> {
        self.picker.marked()
    }

    /// Mark exactly these rows (what a batch left to try again).
    pub fn set_marks(&mut self, rows: impl IntoIterator<Item = usize>) {
        self.picker.set_marks(rows);
        self.refresh();
    }

    /// Space: mark or unmark the selected row, then move down.
    pub fn toggle_mark(&mut self) {
        self.picker.toggle_mark();
        self.refresh();
    }

    /// The rows shown but those that opted out (AllowMessages NONE, the user's choice): what
    /// `*` marks and a `.sh` export without marks holds. An opted-out row is deregistered only
    /// when marked one by one.
    pub fn by_default(&self) -> Vec<usize> {
        self.visible_indices().iter().copied().filter(|&i| !self.rows[i].opted_out).collect()
    }

    /// `*`: mark every row shown (but the opted-out ones); when they all are, clear the marks.
    pub fn mark_all(&mut self) {
        let shown = self.by_default();
        self.picker.mark_all(shown);
        self.refresh();
    }

    /// The share of users done, once their number is known.
    pub fn ratio(&self) -> Option<f64> {
        let total = self.progress.users_total?;
        Some(if total == 0 { 1.0 } else { (self.progress.users as f64 / total as f64).min(1.0) })
    }

    pub fn set_filter(&mut self, filter: &str) {
        self.filter = filter.to_string();
        self.refilter(Keep::Top);
    }

    /// A movement or Enter; Enter answers the (user ARN, endpoint ID) to open.
    pub fn key(&mut self, cmd: Cmd, page: usize) -> Option<(String, String)> {
        if let Some(step) = super::cursor::step(cmd) {
            self.picker.move_by(step, page);
            return None;
        }
        if cmd != Cmd::Submit {
            return None;
        }
        self.picker
            .selected()
            .and_then(|i| self.rows.get(i))
            .map(|r| (r.app_instance_user_arn.clone(), r.endpoint_id.clone()))
    }
}

/// The browser's scan: the pane (once a scan started), whether it holds the body of the
/// screen, an endpoint opened from it, and a pending offer to resume.
#[derive(Clone, Debug, Default)]
pub struct ScanState {
    pub pane: Option<ScanPane>,
    /// The Scan pane (or the endpoint opened from it) takes the detail/list area.
    pub(super) shown: bool,
    /// An endpoint opened from the pane is in the detail pane; Esc goes back to the pane.
    /// Holds what `browse.detail_open` was before.
    pub(super) opened: Option<bool>,
    /// `S` on an instance whose scan was stopped: y resumes, S starts over, Esc cancels.
    pub(super) offer: Option<String>,
    /// The pane's filter, while `/` has it typed (Enter keeps it, Esc clears it).
    pub(super) filter: Option<tui_input::Input>,
    /// The rate `:scan --rate N` asked for: this session's scans go at it (None: the default).
    pub(super) rate: Option<f64>,
    /// The next scan runs the doctor's checks (`:scan --diagnose`, `d` in the Scan pane).
    pub(super) diagnose: bool,
}

impl ScanState {
    pub fn offer(&self) -> Option<&str> {
        self.offer.as_deref()
    }
}

impl App {
    pub fn scan(&self) -> &ScanState {
        &self.scan
    }

    /// The Scan pane's filter has the keyboard.
    pub fn scan_filter_editing(&self) -> bool {
        self.scan.filter.is_some() && self.focus() == Focus::Detail && self.scan_view().is_some()
    }

    /// An edit of the Scan pane's filter. True: it was the filter's.
    pub(super) fn scan_edit(&mut self, req: tui_input::InputRequest) -> bool {
        if !self.scan_filter_editing() {
            return false;
        }
        if let (Some(input), Some(pane)) = (self.scan.filter.as_mut(), self.scan.pane.as_mut()) {
            if let tui_input::InputRequest::InsertChar(c) = req
                && (c.is_control() || input.value().len() >= crate::tui::text::MAX_FILTER)
            {
                return true;
            }
            if input.handle(req).is_some_and(|s| s.value) {
                pane.set_filter(input.value());
            }
        }
        true
    }

    /// The Scan pane, when it is what the body of the screen shows.
    pub fn scan_view(&self) -> Option<&ScanPane> {
        if self.scan.shown && self.scan.opened.is_none() { self.scan.pane.as_ref() } else { None }
    }

    /// The scan holds the body of the screen (its pane, or an endpoint opened from it).
    pub fn scan_covers(&self) -> bool {
        self.scan.shown && self.scan.pane.is_some()
    }

    /// The app instance `S` would scan: the selected row of an instances list, else an
    /// app-instance ARN in the ARN input. Err: why there is none.
    fn scan_target(&self) -> Result<String, String> {
        if self.focus() == Focus::Detail
            && let Some(p) = self.scan_view()
        {
            return Ok(p.instance.clone());
        }
        if self.focus() == Focus::List
            && let Some(v) = self.browse.top()
        {
            return match &v.rows {
                Rows::Instances(_) => v
                    .selected()
                    .and_then(|i| v.rows.key(i))
                    .map(str::to_string)
                    .ok_or_else(|| "No app instance selected to scan".to_string()),
                _ => Err("S scans an app instance: go back to the instances list (Esc), or put an app-instance ARN in the input".into()),
            };
        }
        let arn = self.arn().value().trim();
        match crate::model::parse_instance_arn(arn) {
            Ok(_) => Ok(arn.to_string()),
            Err(_) => Err("S scans an app instance: select one in the instances list, or put an app-instance ARN in the input".into()),
        }
    }

    /// The one place a Scan pane is made: never for an ARN that is not an app instance's (a
    /// hostile or broken row of a list answer says why instead).
    fn start_scan(&mut self, instance: String, resume: ScanStart) -> Vec<Effect> {
        if let Err(e) = crate::model::parse_instance_arn(&instance) {
            self.notify(Notice::error(format!(
                "Not scanned: {} is not an app-instance ARN: {}",
                crate::model::escape_control(&instance),
                crate::model::escape_control(&e.to_string())
            )));
            return vec![];
        }
        let rate = self.scan.rate.unwrap_or(crate::tui::scanner::RATE);
        let diagnose = self.scan.diagnose;
        self.scan.pane = Some(ScanPane { rate, diagnose, ..ScanPane::new(&instance) });
        self.scan.shown = true;
        self.scan.opened = None;
        self.scan.offer = None;
        self.set_focus(Focus::Detail);
        vec![Effect::StartScan { instance, resume, rate, diagnose }]
    }

    /// A command run from the command line shows what it asks for in the body: the Scan pane
    /// gives the body back, except to `:scan` alone (which scans the pane's instance again) and
    /// `:export` (which writes the pane's rows).
    pub(super) fn scan_before_command_line(&mut self, word: Option<&str>) {
        if !matches!(word, Some("scan" | "export")) {
            self.hide_scan();
        }
    }

    /// Every command while the offer to resume a scan is open.
    pub(super) fn scan_offer_command(&mut self, c: Cmd) -> Vec<Effect> {
        let Some(instance) = self.scan.offer.clone() else { return vec![] };
        match c {
            Cmd::Quit => self.quit_all(),
            Cmd::CopyField => self.start_scan(instance, ScanStart::Resume),
            Cmd::Scan => self.start_scan(instance, ScanStart::Over),
            Cmd::Cancel | Cmd::Register => {
                self.scan.offer = None;
                self.notify(Notice::info("Not resumed: the checkpoint is kept"));
                vec![]
            }
            _ => vec![],
        }
    }

    /// `S` in a pane: scan the app instance it names.
    pub(super) fn scan_key(&mut self) -> Vec<Effect> {
        let instance = match self.scan_target() {
            Ok(i) => i,
            Err(why) => {
                self.notify(Notice::info(why));
                return vec![];
            }
        };
        // S over the pane scans again as it was started; elsewhere, without the checks.
        self.scan.diagnose = self.scan_view().is_some_and(|p| p.diagnose && p.instance == instance);
        self.scan_instance(instance)
    }

    /// `:scan [ARN]`: the app instance named, else the one `S` would scan.
    pub(super) fn scan_from_command(
        &mut self,
        arn: Option<String>,
        rate: Option<f64>,
        diagnose: bool,
    ) -> Vec<Effect> {
        if let Some(r) = rate {
            self.scan.rate = Some(r);
        }
        self.scan.diagnose = diagnose;
        let instance = match arn.as_deref().map(str::trim) {
            Some(a) => match crate::model::parse_instance_arn(a) {
                Ok(_) => a.to_string(),
                Err(e) => {
                    let e = crate::model::escape_control(&e.to_string()).into_owned();
                    self.notify(Notice::error(format!(":scan needs an app-instance ARN: {e}")));
                    return vec![];
                }
            },
            None => match self.scan_target() {
                Ok(i) => i,
                Err(why) => {
                    self.notify(Notice::info(why.replacen("S scans", ":scan scans", 1)));
                    return vec![];
                }
            },
        };
        self.scan_instance(instance)
    }

    /// Start (or show, or offer to resume) the scan of `instance`.
    fn scan_instance(&mut self, instance: String) -> Vec<Effect> {
        let same = self.scan.pane.as_ref().filter(|p| p.instance == instance).map(|p| p.run.clone());
        match same {
            Some(Run::Running) => {
                self.scan.shown = true;
                self.scan.opened = None;
                self.set_focus(Focus::Detail);
                vec![]
            }
            Some(Run::Stopped) => {
                self.offer_resume(instance);
                vec![]
            }
            _ if self.batch_running() => {
                self.notify(Notice::info("A batch deregistration runs: Esc in the Scan pane stops it"));
                vec![]
            }
            _ if self.scan.pane.as_ref().is_some_and(|p| p.run == Run::Running) => {
                self.notify(Notice::info("A scan runs already: Esc in its pane stops it"));
                vec![]
            }
            _ => self.start_scan(instance, ScanStart::Ask),
        }
    }

    /// Keys while the scan's pane (or an endpoint opened from it) has the body.
    /// Every command while the scan holds the body. None: not the scan's.
    pub(super) fn scan_pane_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        if !self.scan_covers() {
            return None;
        }
        if self.focus().is_input() {
            // Enter in the inputs looks up or lists: the scan gives the body back.
            if c == Cmd::Submit {
                self.hide_scan();
            }
            return None;
        }
        if self.focus() != Focus::Detail {
            return None;
        }
        if let Some(detail_open) = self.scan.opened {
            // The endpoint opened from the pane: Esc (once no lookup runs) goes back to it.
            if matches!(c, Cmd::Cancel | Cmd::Back) && !self.is_loading() {
                self.scan.opened = None;
                self.browse.detail_open = detail_open;
                return Some(vec![]);
            }
            return None;
        }
        let page = self.size().1.saturating_sub(12).max(1) as usize;
        let editing = self.scan_filter_editing();
        if !editing {
            match c {
                Cmd::Deregister => return Some(self.open_batch()),
                Cmd::Mark | Cmd::MarkAll if self.readonly() => {
                    self.notify(Notice::error(
                        "Read-only mode: writes are off (marks serve a batch deregistration)",
                    ));
                    return Some(vec![]);
                }
                Cmd::CopyJson => {
                    return Some(self.copy_batch_removed().unwrap_or_else(|| {
                        self.notify(Notice::info("Nothing to copy: no endpoint was deregistered from here"));
                        vec![]
                    }));
                }
                Cmd::Cancel | Cmd::Back if self.batch_running() => return self.stop_batch(),
                _ => {}
            }
        }
        let pane = self.scan.pane.as_mut()?;
        if editing {
            return match c {
                Cmd::Submit => {
                    self.scan.filter = None;
                    Some(vec![])
                }
                Cmd::Cancel => {
                    self.scan.filter = None;
                    pane.set_filter("");
                    Some(vec![])
                }
                Cmd::Up | Cmd::Down => {
                    pane.key(c, page);
                    Some(vec![])
                }
                _ => None,
            };
        }
        Some(match c {
            Cmd::Filter => {
                self.scan.filter = Some(tui_input::Input::new(pane.filter.clone()));
                vec![]
            }
            Cmd::Cancel if !pane.filter.is_empty() => {
                pane.set_filter("");
                vec![]
            }
            Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => {
                pane.key(c, page);
                vec![]
            }
            Cmd::Mark => {
                pane.toggle_mark();
                vec![]
            }
            Cmd::MarkAll => {
                pane.mark_all();
                vec![]
            }
            // d: the same scan with the doctor's checks (record findings, the Pinpoint channel).
            Cmd::Forget if pane.diagnose => {
                self.notify(Notice::info("This scan runs with the doctor's checks already"));
                vec![]
            }
            Cmd::Forget if pane.run == Run::Running => {
                self.notify(Notice::info(
                    "The scan is still running: Esc stops it, then d scans again with the doctor's checks",
                ));
                vec![]
            }
            Cmd::Forget => {
                let instance = pane.instance.clone();
                self.scan.diagnose = true;
                self.start_scan(instance, ScanStart::Ask)
            }
            Cmd::Submit => match pane.key(c, page) {
                Some((user, id)) => {
                    self.scan.opened = Some(self.browse.detail_open);
                    self.set_inputs(&user, &id);
                    self.start(Query::Describe { user_arn: user, endpoint_id: id })
                }
                None => vec![],
            },
            Cmd::Cancel | Cmd::Back => {
                if pane.run == Run::Running {
                    self.notify(Notice::info("Stopping the scan; the checkpoint is kept (S resumes)"));
                    vec![Effect::StopScan]
                } else {
                    self.scan.shown = false;
                    vec![]
                }
            }
            Cmd::Quit
            | Cmd::FocusNext
            | Cmd::FocusPrev
            | Cmd::FocusArn
            | Cmd::Help
            | Cmd::Retry
            | Cmd::ToggleSecrets
            | Cmd::CommandLine => {
                return None;
            }
            _ => vec![],
        })
    }

    /// The body of the screen goes back to the list or the detail pane (the scan goes on).
    fn hide_scan(&mut self) {
        self.scan.shown = false;
        self.scan.filter = None;
        if let Some(d) = self.scan.opened.take() {
            self.browse.detail_open = d;
        }
    }

    /// An event of the background scan.
    pub(super) fn scan_event(&mut self, ev: Event) {
        if let Some(p) = self.scan.pane.as_mut() {
            p.apply(ev);
        }
    }

    /// A checkpoint of a scan of `instance` is on disk: offer to resume it.
    pub(super) fn scan_resumable(&mut self, instance: String) {
        if let Some(p) = self.scan.pane.as_mut().filter(|p| p.instance == instance) {
            p.run = Run::Stopped;
        }
        self.offer_resume(instance);
    }

    fn offer_resume(&mut self, instance: String) {
        let short = instance.rsplit('/').next().unwrap_or(&instance).to_string();
        self.notify(Notice::info(format!(
            "A scan of {} was stopped: y resumes it, S starts over, Esc cancels",
            crate::model::escape_control(&short)
        )));
        self.scan.offer = Some(instance);
    }

    /// The hints where the scan has the keyboard.
    /// The Scan pane's hints while it holds the body. None: the panes' own.
    pub(super) fn scan_hint_focus(&self) -> Option<HintFocus> {
        if self.scan_filter_editing() {
            return Some(HintFocus::Filter);
        }
        if self.focus() == Focus::Detail
            && let Some(pane) = self.scan_view()
        {
            return Some(if pane.run == Run::Running { HintFocus::ScanRunning } else { HintFocus::Scan });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    // Actions are fed and the state (or some effects) checked: not every effect is used.
    #![allow(unused_must_use)]
    use super::*;
    use crate::jobs::worker::{Answer, JobRequest};
    use crate::model::{InstanceSummary, Page, UserSummary};
    use crate::tui::action::Action;
    use crate::tui::state::Session;
    use crate::tui::state::testing;

    const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1";

    fn cmd(a: &mut App, c: Cmd) -> Vec<Effect> {
        a.update(Action::Cmd(c))
    }

    fn answer(a: &mut App, eff: &[Effect], answer: Answer) -> Vec<Effect> {
        let req = testing::jobs(eff).into_iter().next().expect("a request");
        testing::answer(a, &req, Ok(answer))
    }

    /// The browser on the instances list, the cursor on i-1.
    /// The instances list's one page: i-0 and i-1 (INST).
    fn instances() -> Answer {
        let items = ["i-0", "i-1"]
            .iter()
            .map(|i| InstanceSummary {
                app_instance_arn: Some(format!("arn:aws:chime:us-east-1:123456789012:app-instance/{i}")),
                name: Some(format!("instance {i}")),
                metadata: None,
            })
            .collect();
        Answer::Instances(Page { items, next_token: None })
    }

    fn on_instances() -> App {
        let mut a = App::new(Session::demo());
        let eff = cmd(&mut a, Cmd::Submit);
        answer(&mut a, &eff, instances());
        cmd(&mut a, Cmd::Down);
        assert_eq!(a.focus(), Focus::List);
        a
    }

    fn started(a: &mut App) -> Vec<Effect> {
        let eff = cmd(a, Cmd::Scan);
        assert_eq!(
            eff,
            vec![Effect::StartScan {
                instance: INST.into(),
                resume: ScanStart::Ask,
                rate: 10.0,
                diagnose: false
            }]
        );
        eff
    }

    #[test]
    fn s_on_an_instance_row_starts_a_scan_and_its_pane_takes_the_body() {
        let mut a = on_instances();
        assert_eq!(a.hint_focus(), HintFocus::InstanceList);
        assert!(a.hints().contains(&("S", "scan")));
        started(&mut a);
        assert_eq!(a.focus(), Focus::Detail, "the pane has the keyboard");
        assert!(a.scan_view().is_some_and(|p| p.instance == INST && p.run == Run::Running));
        // While it runs there is nothing to deregister yet: no D in the hints.
        assert_eq!(a.hint_focus(), HintFocus::ScanRunning);
        assert!(!a.hints().iter().any(|(k, _)| *k == "D"), "{:?}", a.hints());
        assert!(a.hints().contains(&("Esc", "stop")));
        a.update(Action::Scan(crate::scan::background::Event::Done(Ok(crate::scan::Outcome::Finished))));
        assert_eq!(a.hint_focus(), HintFocus::Scan);
        assert!(a.hints().contains(&("D", "deregister")));
        assert_eq!(a.focus_order(), &[Focus::Arn, Focus::EndpointId, Focus::Detail]);
        // Read-only mode does not block it: a scan only reads.
        let mut ro = App::new(Session { readonly: true, ..Session::demo() });
        ro.set_inputs(INST, "");
        ro.set_focus(Focus::Detail);
        assert!(
            matches!(cmd(&mut ro, Cmd::Scan).as_slice(), [Effect::StartScan { instance, .. }] if instance == INST)
        );
    }

    /// A list answer's app-instance ARN that does not parse (a newline and a
    /// command in it, ESC, U+202E) never gets a Scan pane; the message shows it escaped.
    #[test]
    fn s_on_an_instance_row_that_does_not_parse_makes_no_pane_and_says_why() {
        let mut a = App::new(Session::demo());
        let eff = cmd(&mut a, Cmd::Submit);
        let hostile =
            "arn:aws:chime:us-east-1:123456789012:app-instance/i\necho PWNED > /tmp/x\n#\u{1b}[2J\u{202e}";
        let items =
            vec![InstanceSummary { app_instance_arn: Some(hostile.into()), name: None, metadata: None }];
        answer(&mut a, &eff, Answer::Instances(Page { items, next_token: None }));
        assert_eq!(a.focus(), Focus::List);
        assert!(cmd(&mut a, Cmd::Scan).is_empty(), "no scan started");
        assert!(a.scan_view().is_none(), "no Scan pane");
        let n = a.notice().expect("a message");
        assert!(n.text.contains("Not scanned") && n.text.contains("not an app-instance ARN"), "{}", n.text);
        assert!(
            n.text.contains("\\necho PWNED") && n.text.contains("\\e[2J") && n.text.contains("\\u{202e}"),
            "{}",
            n.text
        );
        assert!(!n.text.chars().any(|c| c.is_control() || c == '\u{202e}'), "{:?}", n.text);
    }

    #[test]
    fn s_on_a_user_row_does_nothing_but_say_why() {
        let mut a = App::new(Session::demo());
        a.set_inputs(INST, "");
        let eff = cmd(&mut a, Cmd::Submit);
        let items = vec![UserSummary {
            app_instance_user_arn: Some(format!("{INST}/user/u-1")),
            name: None,
            metadata: None,
        }];
        answer(&mut a, &eff, Answer::Users(Page { items, next_token: None }));
        assert_eq!(a.focus(), Focus::List);
        assert!(cmd(&mut a, Cmd::Scan).is_empty());
        assert!(a.scan_view().is_none());
        assert!(a.notice().is_some_and(|n| n.text.contains("S scans an app instance")), "{:?}", a.notice());
        // Nor on a user ARN in the input.
        let mut a = App::new(Session::demo());
        a.set_inputs(&format!("{INST}/user/u-1"), "");
        a.set_focus(Focus::Detail);
        assert!(cmd(&mut a, Cmd::Scan).is_empty());
        assert!(a.notice().is_some_and(|n| n.text.contains("app-instance ARN")));
    }

    #[test]
    fn progress_fills_the_pane_enter_opens_the_endpoint_and_esc_goes_back() {
        let mut a = on_instances();
        started(&mut a);
        let user = format!("{INST}/user/u-7");
        a.update(Action::Scan(Event::Progress(Box::new(Progress {
            users: 3,
            users_total: Some(6),
            endpoints: 4,
            cannot_receive: 1,
            ..Default::default()
        }))));
        let mut row = row("u-7", "ep-9", Some("INVALID_DEVICE_TOKEN"));
        row.app_instance_user_arn = user.clone();
        a.update(Action::Scan(Event::CannotReceive(Box::new(row))));
        let pane = a.scan_view().unwrap();
        assert_eq!((pane.progress.users, pane.ratio(), pane.visible().len()), (3, Some(0.5), 1));
        // Enter: a describe, as a lookup.
        let eff = cmd(&mut a, Cmd::Submit);
        assert!(
            matches!(eff.as_slice(), [Effect::Job(JobRequest { query: Query::Describe { user_arn, endpoint_id }, .. })]
                if *user_arn == user && endpoint_id == "ep-9"),
            "{eff:?}"
        );
        assert!(a.scan_view().is_none() && a.scan_covers(), "the detail pane in the pane's place");
        assert!(a.is_loading());
        // Esc cancels the lookup first, then goes back to the pane.
        cmd(&mut a, Cmd::Cancel);
        assert!(!a.is_loading());
        assert!(cmd(&mut a, Cmd::Cancel).is_empty());
        assert!(a.scan_view().is_some(), "back in the Scan pane");
        assert_eq!(a.focus(), Focus::Detail);
    }

    #[test]
    fn m_on_a_row_reads_the_memberships_of_the_row_s_user() {
        let mut a = on_instances();
        started(&mut a);
        let user = |u: &str| format!("arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a/user/{u}");
        for (u, id) in [("u-1", "e1"), ("u-2", "e2")] {
            let row = Row::for_test(&user(u), id, "ACTIVE", None, "NONE");
            a.update(Action::Scan(Event::CannotReceive(Box::new(row))));
        }
        cmd(&mut a, Cmd::Down);
        let asked: Vec<_> =
            testing::jobs(&cmd(&mut a, Cmd::Memberships)).into_iter().map(|r| r.query).collect();
        assert_eq!(
            asked,
            [crate::jobs::worker::Query::Memberships { user_arn: user("u-2") }],
            "{:?}",
            a.notice()
        );
    }

    #[test]
    fn slash_filters_the_rows_enter_keeps_it_and_esc_clears_it() {
        let mut a = on_instances();
        started(&mut a);
        for (u, id, reason) in [("u-1", "e1", Some("INVALID_DEVICE_TOKEN")), ("u-2", "e2", None)] {
            a.update(Action::Scan(Event::CannotReceive(Box::new(row(u, id, reason)))));
        }
        cmd(&mut a, Cmd::Filter);
        assert!(a.scan_filter_editing());
        assert_eq!(a.hint_focus(), HintFocus::Filter);
        assert_eq!(crate::tui::keymap::Keyed::key_mode(&a), crate::tui::keymap::Mode::Input);
        for c in "none".chars() {
            a.update(Action::Edit(tui_input::InputRequest::InsertChar(c)));
        }
        let ids = |a: &App| {
            a.scan_view().unwrap().visible().iter().map(|r| r.endpoint_id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ["e2"], "AllowMessages NONE");
        cmd(&mut a, Cmd::Submit);
        assert!(!a.scan_filter_editing());
        assert_eq!(ids(&a), ["e2"], "Enter keeps the filter");
        // Esc clears a kept filter before it stops the scan.
        assert!(cmd(&mut a, Cmd::Cancel).is_empty());
        assert_eq!(ids(&a), ["e1", "e2"]);
        assert_eq!(cmd(&mut a, Cmd::Cancel), vec![Effect::StopScan]);
    }

    #[test]
    fn the_command_line_opens_over_the_pane_and_what_it_runs_takes_the_body() {
        let mut a = on_instances();
        started(&mut a);
        cmd(&mut a, Cmd::CommandLine);
        assert_eq!(a.hint_focus(), HintFocus::Command);
        for c in "instances".chars() {
            a.update(Action::Edit(tui_input::InputRequest::InsertChar(c)));
        }
        let eff = cmd(&mut a, Cmd::Submit);
        assert!(eff.iter().any(|e| matches!(e, Effect::Job(r) if r.query.is_list())), "{eff:?}");
        assert!(!a.scan_covers(), "the list is shown");
        assert!(a.scan().pane.as_ref().is_some_and(|p| p.run == Run::Running), "the scan goes on");
        // S on the instance shows the pane again (the list answered, the cursor on INST).
        answer(&mut a, &eff, instances());
        cmd(&mut a, Cmd::Down);
        assert_eq!(a.focus(), Focus::List);
        assert!(cmd(&mut a, Cmd::Scan).is_empty());
        assert!(a.scan_view().is_some());
    }

    #[test]
    fn esc_stops_the_scan_and_s_again_offers_to_resume() {
        let mut a = on_instances();
        started(&mut a);
        assert_eq!(cmd(&mut a, Cmd::Cancel), vec![Effect::StopScan]);
        a.update(Action::Scan(Event::Done(Ok(Outcome::Stopped))));
        assert_eq!(a.scan_view().unwrap().run, Run::Stopped);
        // Esc again: the pane goes, the list is back.
        assert!(cmd(&mut a, Cmd::Cancel).is_empty());
        assert!(a.scan_view().is_none() && !a.scan_covers());
        assert_eq!(a.focus(), Focus::List);
        // S again on the same instance: a one-key offer.
        assert!(cmd(&mut a, Cmd::Scan).is_empty());
        assert_eq!(a.scan().offer(), Some(INST));
        assert_eq!(a.hint_focus(), HintFocus::ScanResume);
        assert!(
            a.notice().is_some_and(|n| n.text.contains("y resumes it, S starts over")),
            "{:?}",
            a.notice()
        );
        assert!(cmd(&mut a, Cmd::Down).is_empty(), "other keys wait for the answer");
        // Esc: not resumed.
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(a.scan().offer(), None);
        // y resumes.
        cmd(&mut a, Cmd::Scan);
        assert_eq!(
            cmd(&mut a, Cmd::CopyField),
            vec![Effect::StartScan {
                instance: INST.into(),
                resume: ScanStart::Resume,
                rate: 10.0,
                diagnose: false
            }]
        );
        assert!(a.scan_view().is_some_and(|p| p.run == Run::Running));
        // A checkpoint found on disk (a scan stopped in an earlier session) is offered too;
        // S in the offer starts over.
        a.update(Action::ScanResumable(INST.into()));
        assert_eq!(a.hint_focus(), HintFocus::ScanResume);
        assert_eq!(
            cmd(&mut a, Cmd::Scan),
            vec![Effect::StartScan {
                instance: INST.into(),
                resume: ScanStart::Over,
                rate: 10.0,
                diagnose: false
            }]
        );
    }

    fn row(user: &str, id: &str, reason: Option<&str>) -> Row {
        let (status, allow) = if reason.is_some() { ("INACTIVE", "ALL") } else { ("ACTIVE", "NONE") };
        Row::for_test(
            &format!("arn:aws:chime:us-east-1:1:app-instance/i/user/{user}"),
            id,
            status,
            reason,
            allow,
        )
    }

    #[test]
    fn events_fill_the_pane_and_enter_opens_the_selected_endpoint() {
        let mut p = ScanPane::new("arn:i");
        assert_eq!(p.ratio(), None, "the total is not known yet");
        p.apply(Event::CannotReceive(Box::new(row("u1", "e1", Some("INVALID_DEVICE_TOKEN")))));
        p.apply(Event::CannotReceive(Box::new(row("u2", "e2", None))));
        p.apply(Event::Progress(Box::new(Progress {
            users: 5,
            users_total: Some(10),
            ..Default::default()
        })));
        assert_eq!(p.ratio(), Some(0.5));
        assert_eq!(p.key(Cmd::Down, 10), None);
        let u2 = "arn:aws:chime:us-east-1:1:app-instance/i/user/u2".to_string();
        assert_eq!(p.key(Cmd::Submit, 10), Some((u2, "e2".to_string())));
        assert_eq!(p.key(Cmd::Down, 10), None);
        assert_eq!(p.cursor(), 1, "stays on the last row");
        p.apply(Event::Done(Ok(Outcome::Stopped)));
        assert_eq!(p.run, Run::Stopped);
        p.apply(Event::Done(Err("ListAppInstanceUsers: ForbiddenException".into())));
        assert!(matches!(p.run, Run::Failed(ref m) if m.contains("Forbidden")));
    }

    #[test]
    fn the_filter_matches_what_a_row_shows() {
        let mut p = ScanPane::new("arn:i");
        p.apply(Event::CannotReceive(Box::new(row("u1", "e1", Some("INVALID_DEVICE_TOKEN")))));
        p.apply(Event::CannotReceive(Box::new(row("u2", "e2", None))));
        p.set_filter("allowmessages none");
        let v = p.visible();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].endpoint_id, "e2");
        p.set_filter("invalid_device");
        assert_eq!(p.visible()[0].endpoint_id, "e1");
        p.set_filter("nothing like it");
        assert_eq!(p.key(Cmd::Submit, 10), None);
    }

    #[test]
    fn past_the_cap_rows_are_counted_not_held() {
        let mut p = ScanPane::new("arn:i");
        for i in 0..MAX_ROWS + 3 {
            p.apply(Event::CannotReceive(Box::new(row("u", &format!("e{i}"), None))));
        }
        assert_eq!((p.visible().len(), p.more), (MAX_ROWS, 3));
    }
}

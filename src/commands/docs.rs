//! `chimescope completions SHELL` (clap_complete) and `chimescope man` (clap_mangen): both
//! from the one command-line definition, so every subcommand and option (the emulator's too)
//! is in them.

use super::output::write_stdout;
use crate::cli::Cli;
use clap::CommandFactory;

/// The completion script for `shell`, on stdout.
pub fn completions(shell: clap_complete::Shell) -> i32 {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "chimescope", &mut buf);
    write_stdout(&String::from_utf8_lossy(&buf))
}

/// The manual page (roff): the command and its options, then a section per subcommand (the
/// emulator's too) with its synopsis, description and options, then the version.
pub fn man_page() -> std::io::Result<String> {
    let mut cmd = Cli::command();
    cmd.build();
    let main = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    main.render_title(&mut buf)?;
    main.render_name_section(&mut buf)?;
    main.render_synopsis_section(&mut buf)?;
    main.render_description_section(&mut buf)?;
    main.render_options_section(&mut buf)?;
    for sub in cmd.get_subcommands().filter(|c| c.get_name() != "help") {
        let title = format!("chimescope {}", sub.get_name()).to_uppercase();
        buf.extend_from_slice(format!(".SH \"{}\"\n", roff_quoted(&title)).as_bytes());
        let page = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        page.render_synopsis_section(&mut part)?;
        page.render_description_section(&mut part)?;
        page.render_options_section(&mut part)?;
        // The subcommand's sections become subsections of its own.
        let part = String::from_utf8_lossy(&part).replace("\n.SH ", "\n.SS ");
        let part = part.strip_prefix(".SH ").map(|p| format!(".SS {p}")).unwrap_or(part);
        buf.extend_from_slice(part.as_bytes());
    }
    main.render_version_section(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// A title inside roff's double quotes: no `"` or `\` in ours, but never let one through.
fn roff_quoted(s: &str) -> String {
    s.chars().filter(|c| *c != '"' && *c != '\\' && !c.is_control()).collect()
}

/// `chimescope man`: the page on stdout (`chimescope man | man -l -`).
pub fn man() -> i32 {
    match man_page() {
        Ok(page) => write_stdout(&page),
        Err(e) => {
            crate::say!("chimescope: cannot render the manual page: {e}");
            super::exit::EXIT_OTHER
        }
    }
}

//! The command line: parses arguments, loads the project, runs the command, prints and exits.
//! The only place that prints to the terminal or decides the exit code.

mod check;
mod dev;
mod init;
mod logging;
mod new;
mod project;
mod run;
mod test;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit codes (cli.md): 0 success, 1 the job failed, 2 usage or project errors.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(name = "wippy", version, about = "Run, test and check Lua actor programs", propagate_version = true)]
pub struct Cli {
    /// Project directory (default: the current directory).
    #[arg(short = 'C', long = "project", global = true, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// Debug logs.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// No logs.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub silent: bool,
    /// Colour output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Runtime configuration file (repeatable).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Vec<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start the project's hosts and services, or run one command (`wippy run NAME`).
    Run(run::RunArgs),
    /// Run the project and reload changed files into it as they are saved.
    Dev(dev::DevArgs),
    /// Run the project's test entries (`meta.type: test`).
    Test(test::TestArgs),
    /// Lint the project's definitions and Lua sources, or Lua files given as paths.
    Check(check::CheckArgs),
    /// Create a project from a template (`wippy new --list` shows them).
    New(new::NewArgs),
    /// Write `wippy.lock` for an existing source tree.
    Init(init::InitArgs),
    /// Print the version, the Lua version and the build target.
    Version,
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    init_logging(&cli);
    let project = cli.project.clone().unwrap_or_else(|| PathBuf::from("."));
    match &cli.command {
        Command::Run(args) => run::run(&project, &cli.config, args),
        Command::Test(args) => test::run(&project, &cli.config, args),
        Command::Dev(args) => dev::run(&project, &cli.config, cli.color, args),
        Command::Check(args) => check::run(&project, &cli.config, cli.color, args),
        Command::New(args) => new::run(cli.project.as_deref(), args),
        Command::Init(args) => init::run(&project, args),
        Command::Version => {
            println!(
                "wippy {} (Lua 5.4, {}-{})",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::ARCH,
                std::env::consts::OS
            );
            EXIT_OK
        }
    }
}

/// Logging is set up before the command loads the project, so the `logger` section of the
/// config is read here too; a config that cannot be read is reported by the command itself.
fn init_logging(cli: &Cli) {
    let project = cli.project.clone().unwrap_or_else(|| PathBuf::from("."));
    let config = crate::runtime::config::RuntimeConfig::load(&cli.config, &project.join(".wippy.yaml"))
        .map(|c| c.logger)
        .unwrap_or_default();
    let level = if cli.silent {
        "off"
    } else if cli.verbose {
        "debug"
    } else {
        config.level.as_deref().unwrap_or("info")
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("WIPPY_LOG")
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(level))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    if config.encoding == crate::runtime::config::LogEncoding::Json {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .event_format(logging::JsonFormat)
            .try_init();
        return;
    }
    let ansi = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .without_time()
        .try_init();
}

//! `dynbridge sim`: the local Entra ID and Dataverse simulator, standalone, for trying
//! every online feature without a tenant.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dynbridge_sim::{Config, Records, Sim};

#[derive(Args)]
pub struct SimArgs {
    /// The port on 127.0.0.1 (default: any free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Records to serve, as {"contact":[{"contactid":"…","fullname":"…"}],…}
    /// (default: the demo tenant's).
    #[arg(long)]
    data: Option<PathBuf>,
}

pub fn run(args: &SimArgs) -> Result<ExitCode, String> {
    let config = match &args.data {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let records: Records = serde_json::from_slice(&bytes)
                .map_err(|e| format!("{}: not a records file: {e}", path.display()))?;
            Config {
                records,
                ..Config::default()
            }
        }
        None => dynbridge_sim::demo::config(),
    };
    let sim =
        Sim::start(config, args.port).map_err(|e| format!("cannot start the simulator: {e}"))?;
    let config = sim.config();
    println!("Dynbridge simulator on {}", sim.base_url());
    println!("  Authorization URL  {}", sim.authorization_url());
    println!("  Token URL          {}", sim.token_url());
    println!("  API URL            {}", sim.api_url());
    println!("  Client ID          {}", config.client_id);
    println!(
        "  Client secret      {}  (a simulator's, not a real secret)",
        config.client_secret
    );
    println!("Try: dynbridge account add --name Demo --tenant example --authorization-url {} --api-url {} --client-id {}", sim.authorization_url(), sim.api_url(), config.client_id);
    println!("Stop with Ctrl+C.");
    sim.wait();
    Ok(ExitCode::SUCCESS)
}

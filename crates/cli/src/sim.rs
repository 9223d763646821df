//! `dynbridge sim`: the local Entra ID and Dataverse simulator, standalone, for trying
//! every online feature without a tenant.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dynbridge_sim::{Config, Records, Sim};
use serde::Serialize;

use crate::output::Output;

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

/// Where the running simulator answers, and the account fields that reach it.
#[derive(Serialize)]
struct Endpoints {
    base_url: String,
    authorization_url: String,
    token_url: String,
    api_url: String,
    client_id: String,
    /// A simulator's secret, not a real one.
    client_secret: String,
}

pub fn run(args: &SimArgs, out: Output) -> Result<ExitCode, String> {
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
    let endpoints = Endpoints {
        base_url: sim.base_url(),
        authorization_url: sim.authorization_url(),
        token_url: sim.token_url(),
        api_url: sim.api_url(),
        client_id: config.client_id,
        client_secret: config.client_secret,
    };
    out.result(&endpoints, |e| {
        println!("Dynbridge simulator on {}", e.base_url);
        println!("  Authorization URL  {}", e.authorization_url);
        println!("  Token URL          {}", e.token_url);
        println!("  API URL            {}", e.api_url);
        println!("  Client ID          {}", e.client_id);
        println!(
            "  Client secret      {}  (a simulator's, not a real secret)",
            e.client_secret
        );
        println!("Try: dynbridge account add --simulator --name Demo --tenant example --authorization-url {} --api-url {} --client-id {}", e.authorization_url, e.api_url, e.client_id);
        println!("Stop with Ctrl+C.");
    })?;
    // A script reading the JSON document sees it before the simulator blocks.
    std::io::Write::flush(&mut std::io::stdout()).map_err(|e| e.to_string())?;
    sim.wait();
    Ok(ExitCode::SUCCESS)
}

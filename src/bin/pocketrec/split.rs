//! `split`: the train/test split that `eval` uses, as CSV files.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use pocketrec::config::CheckedConfig;

use crate::inputs::*;

#[derive(Args)]
pub struct SplitArgs {
    /// Catalogue, to resolve item ids (interactions with unknown items are dropped).
    #[arg(long)]
    pub catalog: PathBuf,
    /// All interactions.
    #[arg(long)]
    pub interactions: PathBuf,
    #[command(flatten)]
    pub split: SplitOptions,
    /// Folder for train.csv, test.csv and users.txt.
    #[arg(long)]
    pub out_dir: PathBuf,
}

pub fn write_split(args: SplitArgs) -> Result<()> {
    let config = CheckedConfig::default();
    let (catalogue, log, parts) =
        load_split(&args.catalog, &args.interactions, &args.split, &config)?;
    let mut users: Vec<u32> = (0..parts.test.len()).map(|r| parts.test.row(r).0).collect();
    users.sort_unstable();
    users.dedup();
    // users.txt holds one id per line, so an id with a line break cannot be
    // written there and read back; refuse before writing anything. (The CSV
    // files quote such ids and read back as they were.)
    if let Some(&u) = users
        .iter()
        .find(|&&u| log.user_id(u).contains(['\n', '\r']))
    {
        bail!(
            "user id {:?} in {} holds a line break; users.txt has one id per line, so it cannot hold this id: remove line breaks from user ids",
            log.user_id(u),
            args.interactions.display()
        );
    }
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("could not create {}", args.out_dir.display()))?;
    for (name, part) in [("train.csv", &parts.train), ("test.csv", &parts.test)] {
        let path = args.out_dir.join(name);
        let mut w = BufWriter::new(
            std::fs::File::create(&path)
                .with_context(|| format!("could not create {}", path.display()))?,
        );
        writeln!(w, "user,item,weight,timestamp")?;
        for r in 0..part.len() {
            let (u, i, weight, t) = part.row(r);
            let t = t.map_or(String::new(), |t| t.to_string());
            writeln!(
                w,
                "{},{},{},{}",
                csv_field(part.user_id(u)),
                csv_field(catalogue.id(i)),
                weight,
                t
            )?;
        }
        w.flush()?;
    }
    let path = args.out_dir.join("users.txt");
    let mut w = BufWriter::new(
        std::fs::File::create(&path)
            .with_context(|| format!("could not create {}", path.display()))?,
    );
    for u in users {
        writeln!(w, "{}", log.user_id(u))?;
    }
    w.flush()?;
    Ok(())
}

/// Quotes a CSV field when it holds a comma, quote or line break (ids are
/// trimmed on reading, so none starts or ends with a space).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

//! The manifest, `pocketrec-index.json`: the one file a reader fetches
//! first. It names the format and version, the options the index was built
//! with (the privacy rules among them), what the build counted and
//! suppressed, and every shard.

use serde::{Deserialize, Serialize};

use super::shards::{ShardKind, VERSION};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::models::content::ContentField;
use crate::models::Model;
use crate::recommend::fit::PrivacyReport;

/// The manifest's file name in an index folder.
pub const MANIFEST: &str = "pocketrec-index.json";
/// The manifest's `format`.
pub const FORMAT: &str = "pocketrec-index";
/// Largest manifest accepted (a million items in shards of 1000 is about
/// 500 KB).
pub const MAX_MANIFEST_BYTES: usize = 16 << 20;

/// The manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    /// Always `"pocketrec-index"`.
    pub format: String,
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// The program that wrote the index, e.g. `"pocketrec 0.1.0"`.
    pub generator: String,
    /// Number of items.
    pub items: u32,
    /// The models the index holds, in blend order.
    pub models: Vec<Model>,
    /// The options the index was built with, privacy rules included (never
    /// the noise seed).
    pub config: Config,
    /// What the build counted.
    pub counts: Counts,
    /// What the privacy rules suppressed.
    pub suppressed: PrivacyReport,
    /// The catalogue fields the filters and the content model know.
    pub fields: Fields,
    /// Every shard, by kind, then by first record.
    pub shards: Vec<Shard>,
    /// What ALS's fold-in needs besides the factors (when the index holds ALS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub als: Option<AlsParts>,
}

/// Counts of the build.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Counts {
    /// Distinct shoppers in the log.
    pub shoppers: usize,
    /// Rows of the log used (after the contribution cap).
    pub interactions: usize,
    /// Item-kNN links published.
    pub item_links: usize,
    /// Sequential links published.
    pub successors: usize,
    /// Content features.
    pub features: u32,
    /// EASE weights published.
    #[serde(default)]
    pub ease_links: usize,
    /// Content links published (0 when the index ranks by the vectors).
    pub content_links: usize,
    /// Buckets of the id directory.
    pub id_buckets: u32,
}

/// The catalogue's fields as the index knows them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fields {
    /// Name of the category field (filters), if any.
    pub category: Option<String>,
    /// Name of the price field (filters), if any; one of `numeric`.
    pub price: Option<String>,
    /// The numeric fields whose values items records hold, in order.
    pub numeric: Vec<String>,
    /// The content model's fields (name, role, weight), by field index.
    pub content: Vec<ContentField>,
}

/// ALS's fold-in parts: the factor count, the confidence slope, and
/// `YᵀY + λI` of the published (quantised) factors, its upper triangle by
/// rows (`d(d + 1)/2` numbers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlsParts {
    /// Factors per item, `d`.
    pub factors: usize,
    /// Confidence slope α.
    pub alpha: f32,
    /// `YᵀY + λI`, upper triangle by rows.
    pub gram: Vec<f32>,
}

/// The two fields a reader checks before the rest.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u64>,
}

/// One shard file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Shard {
    /// What it holds.
    pub kind: ShardKind,
    /// Its first record (item; feature for `features`, bucket for `ids`).
    pub first: u32,
    /// Its number of records.
    pub count: u32,
    /// File name, relative to the index folder: `<kind>-<xxh64 hex>.bin`.
    pub file: String,
    /// Size in bytes.
    pub bytes: u64,
}

impl Manifest {
    /// Reads a manifest, checking the format and version first so an index
    /// of another version gets a plain answer rather than a field error.
    ///
    /// # Errors
    /// [`Error::BadIndex`] for anything but a manifest of this version.
    pub fn from_json(bytes: &[u8]) -> Result<Manifest> {
        let bad = |message: String| Error::BadIndex {
            file: MANIFEST.to_string(),
            message,
        };
        if bytes.len() > MAX_MANIFEST_BYTES {
            return Err(bad(format!(
                "{} bytes is more than the limit of {MAX_MANIFEST_BYTES}",
                bytes.len()
            )));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|e| bad(format!("not UTF-8 text ({e}): not a pocketrec index")))?;
        // The format and version first, ignoring everything else. Read
        // from text, as options are elsewhere, so wasm carries one JSON
        // deserializer for the options (a `Value` step doubled it: 40 KB).
        let header: Header = serde_json::from_str(text).map_err(|e| {
            bad(format!(
                "not JSON ({e}); truncated, or not a pocketrec index"
            ))
        })?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(bad(format!(
                "\"format\" is not {FORMAT:?}: not a pocketrec index"
            )));
        }
        match header.version {
            Some(v) if v == VERSION as u64 => {}
            other => {
                return Err(bad(format!(
                    "format version {}; this pocketrec reads version {VERSION}: rebuild the index with this version",
                    other.map_or("missing".to_string(), |v| v.to_string())
                )))
            }
        }
        let manifest: Manifest = serde_json::from_str(text).map_err(|e| bad(format!("{e}")))?;
        manifest.check()?;
        Ok(manifest)
    }

    /// The manifest as written: pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a manifest serialises");
        bytes.push(b'\n');
        bytes
    }

    /// The shards of one kind, in record order.
    pub fn shards_of(&self, kind: ShardKind) -> impl Iterator<Item = &Shard> {
        self.shards.iter().filter(move |s| s.kind == kind)
    }

    /// Each kind's shards must cover its records without gap or overlap,
    /// and file names must be plain (no path).
    fn check(&self) -> Result<()> {
        let bad = |message: String| Error::BadIndex {
            file: MANIFEST.to_string(),
            message,
        };
        for kind in ShardKind::ALL {
            let mut next = 0u64;
            for s in self.shards_of(kind) {
                if s.first as u64 != next {
                    return Err(bad(format!(
                        "{} shards: {} starts at record {}, expected {next}",
                        kind.name(),
                        s.file,
                        s.first
                    )));
                }
                next += s.count as u64;
            }
            let expected = match kind {
                ShardKind::Features | ShardKind::Terms => self.counts.features as u64,
                ShardKind::Ids => self.counts.id_buckets as u64,
                _ => self.items as u64,
            };
            let present = self.shards_of(kind).next().is_some();
            let required = matches!(kind, ShardKind::Items | ShardKind::Ids);
            if (present || required) && next != expected {
                return Err(bad(format!(
                    "{} shards cover {next} records, expected {expected}",
                    kind.name()
                )));
            }
        }
        if let Some(m) = self
            .models
            .iter()
            .find(|m| !super::INDEX_MODELS.contains(m))
        {
            return Err(bad(format!(
                "lists model {:?}, which an index cannot hold",
                m.config_name()
            )));
        }
        if let Some(s) = self
            .shards
            .iter()
            .find(|s| s.file.is_empty() || s.file.contains(['/', '\\']) || s.file.starts_with('.'))
        {
            return Err(bad(format!(
                "shard file name {:?} is not a plain file name",
                s.file
            )));
        }
        Ok(())
    }
}

//! Reading catalogue items: the root, ids, availability, field roles (by
//! name or inferred from the values) and the typed columns.

use rustc_hash::{FxHashMap, FxHashSet};

use super::raw::{Raw, RawItems};
use super::{Catalogue, CatalogueConfig, Field, FieldValues, Role};
use crate::error::{shorten, Error, Result};
use crate::limits;

pub(super) const AVAILABILITY_NAMES: &[&str] = &["inStock", "in_stock", "available"];
/// Display-only fields: shown by the widget, never compared. `currency`
/// is here because one shop's items all share it, and as an inferred
/// category it would make every item "similar" through it.
const IGNORED_NAMES: &[&str] = &[
    "id",
    "image",
    "images",
    "thumbnail",
    "url",
    "link",
    "sku",
    "currency",
];
pub(super) const CATEGORY_NAMES: &[&str] = &["category", "categories", "genres", "genre"];

/// Role and weight for a field recognised by name.
fn known_field(name: &str) -> Option<(Role, f32)> {
    Some(match name {
        "title" | "name" => (Role::Text, 1.0),
        "description" | "summary" => (Role::Text, 0.5),
        "category" | "categories" | "genre" | "genres" => (Role::Categorical, 1.0),
        "tags" => (Role::Categorical, 0.8),
        "brand" => (Role::Categorical, 0.6),
        "price" => (Role::Numeric, 0.3),
        "rating" => (Role::Numeric, 0.1),
        _ if IGNORED_NAMES.contains(&name) || AVAILABILITY_NAMES.contains(&name) => {
            (Role::Ignore, 0.0)
        }
        _ => return None,
    })
}

fn default_weight(role: Role) -> f32 {
    match role {
        Role::Text => 0.4,
        Role::Categorical => 0.5,
        Role::Numeric => 0.1,
        Role::Ignore => 0.0,
    }
}

impl CatalogueConfig {
    /// The configured field names, sorted (so errors are deterministic).
    fn field_names(&self) -> Vec<&String> {
        let mut names: Vec<&String> = self.fields.keys().collect();
        names.sort_unstable();
        names
    }

    /// Checks the field weights (the field names are checked against the
    /// catalogue when it is read).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for a negative or non-finite weight.
    pub fn validate(&self) -> Result<()> {
        for name in self.field_names() {
            let field = &self.fields[name];
            if let Some(w) = field.weight.filter(|w| !(w.is_finite() && *w >= 0.0)) {
                return Err(Error::config(
                    format!("catalogue.fields.{name}.weight"),
                    format!("must be a finite number ≥ 0, got {w}"),
                ));
            }
        }
        Ok(())
    }
}

impl Catalogue {
    pub(super) fn read_fields(
        &mut self,
        raw: &mut RawItems,
        config: &CatalogueConfig,
    ) -> Result<()> {
        let names = field_names(raw);
        config.validate()?;
        for name in config.field_names() {
            if !names.contains(name) {
                return Err(Error::config(
                    format!("catalogue.fields.{name}"),
                    format!("no item has a field {name:?}; the catalogue's fields are {names:?}"),
                ));
            }
        }
        for name in &names {
            let over = config.fields.get(name).cloned().unwrap_or_default();
            let (role, weight) = match (over.role, known_field(name)) {
                (Some(role), known) => {
                    let w = known
                        .filter(|k| k.0 == role)
                        .map_or(default_weight(role), |k| k.1);
                    (role, w)
                }
                (None, Some(known)) => known,
                (None, None) => {
                    let (role, note) = infer_role(name, raw);
                    if let Some(note) = note {
                        self.notes.push(note);
                    }
                    (role, default_weight(role))
                }
            };
            let weight = over.weight.unwrap_or(weight);
            // A field of weight 0 is kept: it takes no part in similarity,
            // but filters (category, price) may still need its values.
            if role == Role::Ignore {
                continue;
            }
            let values = read_column(name, role, raw)?;
            self.fields.push(Field {
                name: name.clone(),
                weight,
                values,
            });
        }
        self.category_field = self.find_field(
            config.category_field.as_deref(),
            CATEGORY_NAMES,
            Role::Categorical,
            "categoryField",
        )?;
        self.price_field = self.find_field(
            config.price_field.as_deref(),
            &["price"],
            Role::Numeric,
            "priceField",
        )?;
        Ok(())
    }

    fn find_field(
        &self,
        configured: Option<&str>,
        defaults: &[&str],
        role: Role,
        option: &str,
    ) -> Result<Option<usize>> {
        if let Some(name) = configured {
            return match self.fields.iter().position(|f| f.name == name) {
                Some(i) if self.fields[i].role() == role => Ok(Some(i)),
                Some(_) => Err(Error::config(
                    option,
                    format!("field {name:?} must have the role {role:?}"),
                )),
                None => Err(Error::config(
                    option,
                    format!("no {role:?} field named {name:?} in the catalogue"),
                )),
            };
        }
        Ok(defaults.iter().find_map(|d| {
            self.fields
                .iter()
                .position(|f| f.name == *d && f.role() == role)
        }))
    }
}

/// Refuses an item that is not an object.
pub(super) fn check_items(raw: &RawItems) -> Result<()> {
    for (i, item) in raw.items.iter().enumerate() {
        if !matches!(item, Raw::Object(_)) {
            return Err(Error::value(
                format!("{}[{i}]", raw.prefix),
                format!("expected an item object, got {}", item.describe()),
            ));
        }
    }
    Ok(())
}

/// Takes the ids out of the items, trimmed; notes how many had spaces
/// around them.
pub(super) fn read_ids(
    raw: &mut RawItems,
    notes: &mut Vec<String>,
) -> Result<(Vec<String>, FxHashMap<String, u32>)> {
    let n = raw.items.len();
    let mut ids = Vec::with_capacity(n);
    let mut index = FxHashMap::with_capacity_and_hasher(n, Default::default());
    let id_name = raw.name_id("id");
    let (mut trimmed, mut example) = (0, None);
    for i in 0..n {
        let path = format!("{}[{i}].id", raw.prefix);
        let id = match id_name.and_then(|name| raw.take(i, name)) {
            None => {
                return Err(Error::value(
                    path,
                    "missing id; every item needs an \"id\" (a non-empty string or an integer)",
                ))
            }
            Some(Raw::Str(s)) if s.trim().is_empty() => {
                return Err(Error::value(
                    path,
                    "empty id; ids must be non-empty strings or integers",
                ))
            }
            Some(Raw::Str(s)) => {
                let id = s.trim();
                if id.len() == s.len() {
                    s.into_string()
                } else {
                    trimmed += 1;
                    example.get_or_insert_with(|| format!("{s:?} at {path}"));
                    id.to_string()
                }
            }
            Some(Raw::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            Some(other) => {
                return Err(Error::value(
                    path,
                    format!(
                        "expected a non-empty string or an integer, got {}",
                        other.describe()
                    ),
                ))
            }
        };
        if id.len() > limits::MAX_ID_BYTES {
            return Err(Error::LimitExceeded(format!(
                "{path}: id of {} bytes is longer than the limit of {} bytes",
                id.len(),
                limits::MAX_ID_BYTES
            )));
        }
        if let Some(&first) = index.get(&id) {
            return Err(Error::DuplicateId {
                path,
                id,
                first_path: format!("{}[{first}].id", raw.prefix),
            });
        }
        index.insert(id.clone(), i as u32);
        ids.push(id);
    }
    if let Some(example) = example {
        notes.push(format!(
            "{trimmed} item ids had spaces around them, which were removed (e.g. {example}); ids are compared trimmed everywhere"
        ));
    }
    Ok((ids, index))
}

pub(super) fn read_availability(raw: &RawItems) -> Result<Vec<bool>> {
    let names: Vec<(&str, Option<u32>)> = AVAILABILITY_NAMES
        .iter()
        .map(|n| (*n, raw.name_id(n)))
        .collect();
    (0..raw.items.len())
        .map(|i| {
            for &(name, id) in &names {
                match raw.get(i, id) {
                    None | Some(Raw::Null) => continue,
                    Some(Raw::Bool(b)) => return Ok(*b),
                    Some(other) => {
                        return Err(Error::value(
                            format!("{}[{i}].{name}", raw.prefix),
                            format!("expected true or false, got {}", other.describe()),
                        ))
                    }
                }
            }
            Ok(true)
        })
        .collect()
}

/// Field names in order of first appearance; each item's keys are sorted,
/// so this is name order within an item (deterministic).
fn field_names(raw: &RawItems) -> Vec<String> {
    let mut seen = FxHashSet::default();
    let mut names = Vec::new();
    for i in 0..raw.items.len() {
        for (name, _) in raw.fields(i) {
            if seen.insert(*name) {
                names.push(raw.names[*name as usize].clone());
            }
        }
    }
    names
}

/// Infers a role from the values of an unrecognised field; returns a note
/// when the field is left out.
fn infer_role(name: &str, raw: &RawItems) -> (Role, Option<String>) {
    let id = raw.name_id(name);
    let values: Vec<&Raw> = (0..raw.items.len())
        .filter_map(|i| raw.get(i, id))
        .filter(|v| !matches!(v, Raw::Null))
        .collect();
    if values.is_empty() {
        return (Role::Ignore, None);
    }
    if values.iter().all(|v| matches!(v, Raw::Number(_))) {
        return (Role::Numeric, None);
    }
    if values
        .iter()
        .all(|v| matches!(v, Raw::Array(a) if a.iter().all(|e| matches!(e, Raw::Str(_)))))
    {
        return (Role::Categorical, None);
    }
    if values.iter().all(|v| matches!(v, Raw::Str(_))) {
        let strings: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
        let mean_len =
            strings.iter().map(|s| s.chars().count()).sum::<usize>() as f64 / strings.len() as f64;
        if strings
            .iter()
            .any(|s| s.starts_with("http://") || s.starts_with("https://"))
        {
            return (
                Role::Ignore,
                Some(format!("field {name:?} holds URLs: ignored")),
            );
        }
        if mean_len > 40.0 {
            return (Role::Text, None);
        }
        let distinct: FxHashSet<&str> = strings.iter().copied().collect();
        if distinct.len() * 2 <= strings.len() + 1 {
            return (Role::Categorical, None);
        }
        return (Role::Ignore, Some(format!("field {name:?} holds short, mostly unique strings (codes?): ignored; set its role in the config to use it")));
    }
    (
        Role::Ignore,
        Some(format!(
            "field {name:?} holds objects or mixed types: ignored"
        )),
    )
}

/// Takes a field's values out of the items (moving their strings).
fn read_column(name: &str, role: Role, raw: &mut RawItems) -> Result<FieldValues> {
    let id = raw.name_id(name).expect("field names come from the items");
    let n = raw.items.len();
    let prefix = raw.prefix.clone();
    let path = |i: usize| format!("{prefix}[{i}].{name}");
    let mut take = |i: usize| raw.take(i, id);
    Ok(match role {
        Role::Text => FieldValues::Text(
            (0..n)
                .map(|i| read_text(take(i), &path(i)))
                .collect::<Result<_>>()?,
        ),
        Role::Categorical => FieldValues::Categorical(
            (0..n)
                .map(|i| read_categories(take(i), &path(i)))
                .collect::<Result<_>>()?,
        ),
        Role::Numeric => FieldValues::Numeric(
            (0..n)
                .map(|i| read_number(take(i), &path(i)))
                .collect::<Result<_>>()?,
        ),
        Role::Ignore => unreachable!("ignored fields are skipped before reading"),
    })
}

// String lengths were checked while parsing (see `raw`).

/// Text: a string; numbers are accepted as their decimal text.
fn read_text(v: Option<Raw>, path: &str) -> Result<Option<String>> {
    match v {
        None | Some(Raw::Null) => Ok(None),
        Some(Raw::Str(s)) => Ok(Some(s.into_string())),
        Some(Raw::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(Error::value(
            path,
            format!("expected text (a string), got {}", other.describe()),
        )),
    }
}

/// Categorical: a string, or an array of strings (numbers allowed as text).
fn read_categories(v: Option<Raw>, path: &str) -> Result<Vec<String>> {
    let one = |v: Raw, path: &dyn Fn() -> String| -> Result<Option<String>> {
        match v {
            Raw::Null => Ok(None),
            Raw::Str(s) => {
                let t = s.trim();
                Ok(if t.is_empty() {
                    None
                } else if t.len() == s.len() {
                    Some(s.into_string())
                } else {
                    Some(t.to_string())
                })
            }
            Raw::Number(n) => Ok(Some(n.to_string())),
            other => Err(Error::value(
                path(),
                format!(
                    "expected a string or an array of strings, got {}",
                    other.describe()
                ),
            )),
        }
    };
    match v {
        None | Some(Raw::Null) => Ok(Vec::new()),
        Some(Raw::Array(values)) => {
            if values.len() > limits::MAX_ARRAY_LEN {
                return Err(Error::LimitExceeded(format!(
                    "{path}: {} values is more than the limit of {}",
                    values.len(),
                    limits::MAX_ARRAY_LEN
                )));
            }
            let mut out = Vec::with_capacity(values.len());
            for (j, v) in values.into_vec().into_iter().enumerate() {
                if let Some(s) = one(v, &|| format!("{path}[{j}]"))? {
                    out.push(s);
                }
            }
            Ok(out)
        }
        Some(v) => Ok(one(v, &|| path.to_string())?.into_iter().collect()),
    }
}

/// Numeric: a finite number, or a string holding one (`"12.50"`).
fn read_number(v: Option<Raw>, path: &str) -> Result<Option<f64>> {
    let bad = |what: String| Error::value(path, format!("expected a finite number, got {what}"));
    match v {
        None | Some(Raw::Null) => Ok(None),
        Some(Raw::Number(n)) => match n.as_f64() {
            Some(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(bad(format!("number {n}"))),
        },
        Some(Raw::Str(s)) => match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(bad(format!("string {:?}", shorten(&s, 40)))),
        },
        Some(other) => Err(bad(other.describe())),
    }
}

//! Reading catalogue items: the root, ids, availability, field roles (by
//! name or inferred from the values) and the typed columns.

use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

use super::{Catalogue, CatalogueConfig, Field, FieldValues, Role};
use crate::error::{describe, shorten, Error, Result};
use crate::limits;

const AVAILABILITY_NAMES: &[&str] = &["inStock", "in_stock", "available"];
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
const CATEGORY_NAMES: &[&str] = &["category", "categories", "genres", "genre"];

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
        objects: &[&Map<String, Value>],
        prefix: &str,
        config: &CatalogueConfig,
    ) -> Result<()> {
        let names = field_names(objects);
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
                    let (role, note) = infer_role(name, objects);
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
            let values = read_column(name, role, objects, prefix)?;
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

    pub(super) fn read_titles(&self) -> Vec<Option<String>> {
        let title = self
            .fields
            .iter()
            .find(|f| matches!(f.name.as_str(), "title" | "name"));
        match title.map(|f| &f.values) {
            Some(FieldValues::Text(v)) => v.clone(),
            _ => vec![None; self.ids.len()],
        }
    }
}

/// Splits the root into the item list and the JSON path prefix of its elements.
pub(super) fn root_items(value: Value) -> Result<(Vec<Value>, String)> {
    match value {
        Value::Array(items) => Ok((items, "$".to_string())),
        Value::Object(mut map) => match map.remove("items") {
            Some(Value::Array(items)) => Ok((items, "$.items".to_string())),
            Some(other) => Err(Error::value(
                "$.items",
                format!(
                    "expected an array of item objects, got {}",
                    describe(&other)
                ),
            )),
            None => {
                let keys: Vec<&String> = map.keys().take(8).collect();
                Err(Error::value(
                    "$",
                    format!("expected an array of items or an object with an \"items\" array, got an object with keys {keys:?}"),
                ))
            }
        },
        other => Err(Error::value(
            "$",
            format!(
                "expected an array of items or an object with an \"items\" array, got {}",
                describe(&other)
            ),
        )),
    }
}

pub(super) fn check_items<'a>(
    items: &'a [Value],
    prefix: &str,
) -> Result<Vec<&'a Map<String, Value>>> {
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_object().ok_or_else(|| {
                Error::value(
                    format!("{prefix}[{i}]"),
                    format!("expected an item object, got {}", describe(v)),
                )
            })
        })
        .collect()
}

pub(super) fn read_ids(
    objects: &[&Map<String, Value>],
    prefix: &str,
) -> Result<(Vec<String>, FxHashMap<String, u32>)> {
    let mut ids = Vec::with_capacity(objects.len());
    let mut index = FxHashMap::with_capacity_and_hasher(objects.len(), Default::default());
    for (i, obj) in objects.iter().enumerate() {
        let path = format!("{prefix}[{i}].id");
        let id = match obj.get("id") {
            None => {
                return Err(Error::value(
                    path,
                    "missing id; every item needs an \"id\" (a non-empty string or an integer)",
                ))
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                return Err(Error::value(
                    path,
                    "empty id; ids must be non-empty strings or integers",
                ))
            }
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            Some(other) => {
                return Err(Error::value(
                    path,
                    format!(
                        "expected a non-empty string or an integer, got {}",
                        describe(other)
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
                first_path: format!("{prefix}[{first}].id"),
            });
        }
        index.insert(id.clone(), i as u32);
        ids.push(id);
    }
    Ok((ids, index))
}

pub(super) fn read_availability(
    objects: &[&Map<String, Value>],
    prefix: &str,
) -> Result<Vec<bool>> {
    objects
        .iter()
        .enumerate()
        .map(|(i, obj)| {
            for name in AVAILABILITY_NAMES {
                match obj.get(*name) {
                    None | Some(Value::Null) => continue,
                    Some(Value::Bool(b)) => return Ok(*b),
                    Some(other) => {
                        return Err(Error::value(
                            format!("{prefix}[{i}].{name}"),
                            format!("expected true or false, got {}", describe(other)),
                        ))
                    }
                }
            }
            Ok(true)
        })
        .collect()
}

/// Field names in order of first appearance; serde_json keeps each
/// object's keys sorted, so this is name order within an item (deterministic).
fn field_names(objects: &[&Map<String, Value>]) -> Vec<String> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut names = Vec::new();
    for obj in objects {
        for key in obj.keys() {
            if !seen.contains(key.as_str()) {
                seen.insert(key.clone());
                names.push(key.clone());
            }
        }
    }
    names
}

/// Infers a role from the values of an unrecognised field; returns a note
/// when the field is left out.
fn infer_role(name: &str, objects: &[&Map<String, Value>]) -> (Role, Option<String>) {
    let values: Vec<&Value> = objects
        .iter()
        .filter_map(|o| o.get(name))
        .filter(|v| !v.is_null())
        .collect();
    if values.is_empty() {
        return (Role::Ignore, None);
    }
    if values.iter().all(|v| v.is_number()) {
        return (Role::Numeric, None);
    }
    if values
        .iter()
        .all(|v| v.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
    {
        return (Role::Categorical, None);
    }
    if values.iter().all(|v| v.is_string()) {
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
        let distinct: rustc_hash::FxHashSet<&str> = strings.iter().copied().collect();
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

fn read_column(
    name: &str,
    role: Role,
    objects: &[&Map<String, Value>],
    prefix: &str,
) -> Result<FieldValues> {
    let path = |i: usize| format!("{prefix}[{i}].{name}");
    Ok(match role {
        Role::Text => FieldValues::Text(
            objects
                .iter()
                .enumerate()
                .map(|(i, o)| read_text(o.get(name), &path(i)))
                .collect::<Result<_>>()?,
        ),
        Role::Categorical => FieldValues::Categorical(
            objects
                .iter()
                .enumerate()
                .map(|(i, o)| read_categories(o.get(name), &path(i)))
                .collect::<Result<_>>()?,
        ),
        Role::Numeric => FieldValues::Numeric(
            objects
                .iter()
                .enumerate()
                .map(|(i, o)| read_number(o.get(name), &path(i)))
                .collect::<Result<_>>()?,
        ),
        Role::Ignore => unreachable!("ignored fields are skipped before reading"),
    })
}

fn check_len(s: &str, path: &str) -> Result<()> {
    if s.len() > limits::MAX_STRING_BYTES {
        return Err(Error::LimitExceeded(format!(
            "{path}: string of {} bytes is longer than the limit of {} bytes",
            s.len(),
            limits::MAX_STRING_BYTES
        )));
    }
    Ok(())
}

/// Text: a string; numbers are accepted as their decimal text.
fn read_text(v: Option<&Value>, path: &str) -> Result<Option<String>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            check_len(s, path)?;
            Ok(Some(s.clone()))
        }
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(Error::value(
            path,
            format!("expected text (a string), got {}", describe(other)),
        )),
    }
}

/// Categorical: a string, or an array of strings (numbers allowed as text).
fn read_categories(v: Option<&Value>, path: &str) -> Result<Vec<String>> {
    let one = |v: &Value, path: &str| -> Result<Option<String>> {
        match v {
            Value::Null => Ok(None),
            Value::String(s) => {
                check_len(s, path)?;
                let s = s.trim();
                Ok((!s.is_empty()).then(|| s.to_string()))
            }
            Value::Number(n) => Ok(Some(n.to_string())),
            other => Err(Error::value(
                path,
                format!(
                    "expected a string or an array of strings, got {}",
                    describe(other)
                ),
            )),
        }
    };
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(values)) => {
            if values.len() > limits::MAX_ARRAY_LEN {
                return Err(Error::LimitExceeded(format!(
                    "{path}: {} values is more than the limit of {}",
                    values.len(),
                    limits::MAX_ARRAY_LEN
                )));
            }
            let mut out = Vec::with_capacity(values.len());
            for (j, v) in values.iter().enumerate() {
                if let Some(s) = one(v, &format!("{path}[{j}]"))? {
                    out.push(s);
                }
            }
            Ok(out)
        }
        Some(v) => Ok(one(v, path)?.into_iter().collect()),
    }
}

/// Numeric: a finite number, or a string holding one (`"12.50"`).
fn read_number(v: Option<&Value>, path: &str) -> Result<Option<f64>> {
    let bad = |what: String| Error::value(path, format!("expected a finite number, got {what}"));
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(bad(format!("number {n}"))),
        },
        Some(Value::String(s)) => match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(bad(format!("string {:?}", shorten(s, 40)))),
        },
        Some(other) => Err(bad(describe(other))),
    }
}

//! The first pass over catalogue JSON: items read one at a time into a
//! compact form, before any field is typed.
//!
//! A `serde_json::Value` tree costs many times the text it came from (a map
//! node per object, a `String` per key of every item), and the catalogue
//! used to keep it whole while it built its columns: about 19 bytes of
//! memory per byte of JSON. Here each item keeps only its top-level fields,
//! with names interned once per catalogue; nested arrays and objects are
//! reduced to what the error messages need (their kind and length). Every
//! string, wherever it is, is checked against [`limits::MAX_STRING_BYTES`]
//! while it is parsed, and the item count against [`limits::MAX_ITEMS`], so
//! an oversized input fails before its memory is spent.

use std::fmt;

use rustc_hash::FxHashMap;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use crate::error::{shorten, Error, Result};
use crate::limits;

/// One value as read. Scalars are kept; containers only at the top of a
/// field (an array's elements), deeper ones by kind and length.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Raw {
    Null,
    Bool(bool),
    Number(Number),
    Str(Box<str>),
    /// A field's array: its elements (themselves reduced).
    Array(Box<[Raw]>),
    /// An array inside an array: its length only.
    NestedArray(usize),
    /// An object: an item's fields (name id, value), sorted by name; empty
    /// for objects inside fields, whose contents are not kept.
    Object(Box<[(u32, Raw)]>),
}

impl Raw {
    /// A brief description for messages, as [`crate::error::describe`] gives
    /// for a JSON value.
    pub(super) fn describe(&self) -> String {
        match self {
            Raw::Null => "null".to_string(),
            Raw::Bool(b) => format!("boolean {b}"),
            Raw::Number(n) => format!("number {n}"),
            Raw::Str(s) => format!("string {:?}", shorten(s, 40)),
            Raw::Array(a) => format!("an array of {} elements", a.len()),
            Raw::NestedArray(n) => format!("an array of {n} elements"),
            Raw::Object(_) => "an object".to_string(),
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Raw::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The items of a catalogue, read but not yet typed.
#[derive(Debug, Default)]
pub(super) struct RawItems {
    /// Field names by id, in order of first appearance in the text.
    pub names: Vec<String>,
    name_ids: FxHashMap<String, u32>,
    /// One entry per item: [`Raw::Object`] for a proper item.
    pub items: Vec<Raw>,
    /// JSON path of the item array: `$` or `$.items`.
    pub prefix: String,
}

impl RawItems {
    /// The id of a field name, if any item has the field.
    pub fn name_id(&self, name: &str) -> Option<u32> {
        self.name_ids.get(name).copied()
    }

    /// The fields of item `i` (empty for an item that is not an object).
    pub fn fields(&self, i: usize) -> &[(u32, Raw)] {
        match &self.items[i] {
            Raw::Object(fields) => fields,
            _ => &[],
        }
    }

    /// Item `i`'s value of the field with id `name`.
    pub fn get(&self, i: usize, name: Option<u32>) -> Option<&Raw> {
        let name = name?;
        let fields = self.fields(i);
        fields
            .binary_search_by(|(n, _)| {
                self.names[*n as usize]
                    .as_str()
                    .cmp(&self.names[name as usize])
            })
            .ok()
            .map(|at| &fields[at].1)
    }

    /// Item `i`'s value of the field with id `name`, taken out (leaving null).
    pub fn take(&mut self, i: usize, name: u32) -> Option<Raw> {
        let names = &self.names;
        let Raw::Object(fields) = &mut self.items[i] else {
            return None;
        };
        let at = fields
            .binary_search_by(|(n, _)| names[*n as usize].as_str().cmp(&names[name as usize]))
            .ok()?;
        Some(std::mem::replace(&mut fields[at].1, Raw::Null))
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.name_ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.name_ids.insert(name.to_string(), id);
        id
    }

    /// Reads catalogue JSON text.
    ///
    /// # Errors
    /// [`Error::Json`] for bad JSON, [`Error::LimitExceeded`] for a string
    /// or an item count past its limit, [`Error::InvalidValue`] for a root
    /// that is neither an array nor an object with an `items` array.
    pub fn from_json(text: &[u8]) -> Result<RawItems> {
        let mut reader = Reader::default();
        let mut de = serde_json::Deserializer::from_slice(text);
        let parsed = Root(&mut reader)
            .deserialize(&mut de)
            .and_then(|()| de.end());
        finish(
            reader,
            parsed.map_err(|e| Error::json_in("catalogue", &e, text)),
        )
    }

    /// Reads a parsed JSON value (moving its strings, not copying them).
    ///
    /// # Errors
    /// As [`RawItems::from_json`], but no [`Error::Json`].
    pub fn from_value(value: Value) -> Result<RawItems> {
        let mut reader = Reader::default();
        let parsed = Root(&mut reader).deserialize(value);
        // A Value cannot fail to deserialize except through our own checks.
        finish(reader, parsed.map_err(|e| Error::value("$", e.to_string())))
    }
}

fn finish(mut reader: Reader, parsed: Result<()>) -> Result<RawItems> {
    // Our own error (a limit, a wrong root) comes first: the parser's is
    // only the abort it caused.
    if let Some(error) = reader.error.take() {
        return Err(error);
    }
    parsed?;
    Ok(reader.out)
}

#[derive(Default)]
struct Reader {
    out: RawItems,
    error: Option<Error>,
}

impl Reader {
    /// Records an error and returns the parser error that aborts the parse.
    fn fail<E: de::Error>(&mut self, error: Error) -> E {
        self.error.get_or_insert(error);
        E::custom("aborted")
    }

    fn check_len<E: de::Error>(&mut self, s: &str, path: &Path) -> std::result::Result<(), E> {
        if s.len() > limits::MAX_STRING_BYTES {
            return Err(self.fail(Error::LimitExceeded(format!(
                "{}: string of {} bytes is longer than the limit of {} bytes",
                path.render(&self.out),
                s.len(),
                limits::MAX_STRING_BYTES
            ))));
        }
        Ok(())
    }
}

/// Where a value is, rendered only when a message needs it.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Item(usize),
    Field(usize, u32),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn render(&self, out: &RawItems) -> String {
        match self {
            Path::Root => "$".to_string(),
            Path::Item(i) => format!("{}[{i}]", out.prefix),
            Path::Field(i, name) => format!("{}[{i}].{}", out.prefix, out.names[*name as usize]),
            Path::Key(parent, key) => format!("{}.{key}", parent.render(out)),
            Path::Index(parent, j) => format!("{}[{j}]", parent.render(out)),
        }
    }
}

/// The root: an array of items, or an object with an `items` array.
struct Root<'r>(&'r mut Reader);

impl<'de> DeserializeSeed<'de> for Root<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

const ROOT_EXPECTED: &str = "expected an array of items or an object with an \"items\" array";

impl<'de> Visitor<'de> for Root<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a catalogue")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        self.0.out.prefix = "$".into();
        Items(self.0).visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut keys: Vec<String> = Vec::new();
        let mut found = false;
        while let Some(key) = map.next_key::<Key>()? {
            if key.0 == "items" {
                self.0.out = RawItems {
                    prefix: "$.items".into(),
                    ..RawItems::default()
                };
                map.next_value_seed(ItemsOrOther(self.0))?;
                found = true;
            } else {
                self.0.check_len(&key.0, &Path::Root)?;
                if keys.len() < 8 {
                    keys.push(key.0);
                }
                map.next_value::<IgnoredAny>()?;
            }
        }
        if !found {
            return Err(self.0.fail(Error::value(
                "$",
                format!("{ROOT_EXPECTED}, got an object with keys {keys:?}"),
            )));
        }
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<(), E> {
        Err(self.0.fail(wrong_root(&Raw::Bool(v))))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<(), E> {
        Err(self.0.fail(wrong_root(&Raw::Number(v.into()))))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<(), E> {
        Err(self.0.fail(wrong_root(&Raw::Number(v.into()))))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<(), E> {
        let n = Number::from_f64(v).map_or(Raw::Null, Raw::Number);
        Err(self.0.fail(wrong_root(&n)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<(), E> {
        Err(self.0.fail(wrong_root(&Raw::Str(v.into()))))
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        Err(self.0.fail(wrong_root(&Raw::Null)))
    }
}

fn wrong_root(got: &Raw) -> Error {
    Error::value("$", format!("{ROOT_EXPECTED}, got {}", got.describe()))
}

/// An object key, owned (keys with escapes cannot be borrowed).
struct Key(String);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Key, D::Error> {
        String::deserialize(d).map(Key)
    }
}

/// The value of `$.items`: the item array, or anything else (an error).
struct ItemsOrOther<'r>(&'r mut Reader);

impl<'de> DeserializeSeed<'de> for ItemsOrOther<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        let reader = self.0;
        let path = Path::Root;
        // Read as a field value would be, to describe it; arrays go to Items.
        let value = d.deserialize_any(Value_ {
            reader: &mut *reader,
            path: &path,
            depth: 0,
        })?;
        match value {
            // Only the item array itself reads as an array at depth 0.
            Raw::Array(_) => Ok(()),
            other => Err(reader.fail(items_not_array(&other))),
        }
    }
}

fn items_not_array(got: &Raw) -> Error {
    Error::value(
        "$.items",
        format!("expected an array of item objects, got {}", got.describe()),
    )
}

/// The item array.
struct Items<'r>(&'r mut Reader);

impl<'de> Visitor<'de> for Items<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        loop {
            let i = self.0.out.items.len();
            if i == limits::MAX_ITEMS {
                // One more element means one item too many.
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(self.0.fail(Error::LimitExceeded(format!(
                        "catalogue: more than the limit of {} items",
                        limits::MAX_ITEMS
                    ))));
                }
                return Ok(());
            }
            match seq.next_element_seed(Item {
                reader: &mut *self.0,
                index: i,
            })? {
                Some(item) => self.0.out.items.push(item),
                None => return Ok(()),
            }
        }
    }
}

/// One item: an object's fields, or any other value (refused later, with
/// the other item errors, so their order does not change).
struct Item<'r> {
    reader: &'r mut Reader,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for Item<'_> {
    type Value = Raw;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Raw, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Item<'_> {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an item")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Raw, A::Error> {
        let mut fields: Vec<(u32, Raw)> = Vec::new();
        while let Some(key) = map.next_key::<Key>()? {
            self.reader.check_len(&key.0, &Path::Item(self.index))?;
            let name = self.reader.out.intern(&key.0);
            let path = Path::Field(self.index, name);
            let value = map.next_value_seed(Value_ {
                reader: &mut *self.reader,
                path: &path,
                depth: 1,
            })?;
            // A repeated key keeps its last value, as a JSON object would.
            match fields.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = value,
                None => fields.push((name, value)),
            }
        }
        let names = &self.reader.out.names;
        fields.sort_unstable_by(|a, b| names[a.0 as usize].cmp(&names[b.0 as usize]));
        Ok(Raw::Object(fields.into_boxed_slice()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Raw, A::Error> {
        let path = Path::Item(self.index);
        Value_ {
            reader: self.reader,
            path: &path,
            depth: 1,
        }
        .visit_seq(seq)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Raw, E> {
        Ok(Raw::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Raw, E> {
        Ok(Raw::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Raw, E> {
        Ok(Number::from_f64(v).map_or(Raw::Null, Raw::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Raw, E> {
        self.reader.check_len(v, &Path::Item(self.index))?;
        Ok(Raw::Str(v.into()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Raw, E> {
        self.reader.check_len(&v, &Path::Item(self.index))?;
        Ok(Raw::Str(v.into_boxed_str()))
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<Raw, E> {
        Ok(Raw::Null)
    }
}

/// A value inside an item: `depth` 1 for a field's value, 2 for an element
/// of its array, more below (where only kinds and lengths are kept).
struct Value_<'r, 'p> {
    reader: &'r mut Reader,
    path: &'p Path<'p>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Value_<'_, '_> {
    type Value = Raw;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Raw, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Value_<'_, '_> {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Raw, A::Error> {
        // The value of `$.items` (depth 0) is the item array itself.
        if self.depth == 0 {
            Items(&mut *self.reader).visit_seq(seq)?;
            return Ok(Raw::Array(Box::new([])));
        }
        let keep = self.depth == 1;
        let mut elements = Vec::new();
        let mut len = 0;
        loop {
            let path = Path::Index(self.path, len);
            let element = seq.next_element_seed(Value_ {
                reader: &mut *self.reader,
                path: &path,
                depth: self.depth + 1,
            })?;
            match element {
                Some(e) if keep => elements.push(e),
                Some(_) => {}
                None => break,
            }
            len += 1;
        }
        Ok(if keep {
            Raw::Array(elements.into_boxed_slice())
        } else {
            Raw::NestedArray(len)
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Raw, A::Error> {
        while let Some(key) = map.next_key::<Key>()? {
            let path = Path::Key(self.path, &key.0);
            self.reader.check_len(&key.0, self.path)?;
            map.next_value_seed(Value_ {
                reader: &mut *self.reader,
                path: &path,
                depth: self.depth + 1,
            })?;
        }
        Ok(Raw::Object(Box::new([])))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Raw, E> {
        Ok(Raw::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Raw, E> {
        Ok(Raw::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Raw, E> {
        Ok(Number::from_f64(v).map_or(Raw::Null, Raw::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Raw, E> {
        self.reader.check_len(v, self.path)?;
        Ok(if self.depth <= 2 {
            Raw::Str(v.into())
        } else {
            Raw::Null
        })
    }
    fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Raw, E> {
        self.reader.check_len(&v, self.path)?;
        Ok(if self.depth <= 2 {
            Raw::Str(v.into_boxed_str())
        } else {
            Raw::Null
        })
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<Raw, E> {
        Ok(Raw::Null)
    }
}

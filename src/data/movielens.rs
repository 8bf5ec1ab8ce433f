//! Reader for the MovieLens CSV layout (GroupLens `ml-latest-small` and kin).
//!
//! `movies.csv` (`movieId,title,genres`) becomes a catalogue: the title
//! without its trailing `(year)`, the year as a numeric field, genres split
//! on `|` (`(no genres listed)` means none), and, from `tags.csv`
//! (`userId,movieId,tag,timestamp`), each movie's distinct tags, lower-cased.
//! `ratings.csv` needs no special reader: [`crate::data::interactions`] knows its
//! column names.

use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::limits;

/// Builds catalogue JSON (`{"items": [...]}`) from `movies.csv` and, if
/// given, `tags.csv`.
///
/// # Errors
/// [`Error::Csv`] with the file name and line for a malformed row.
pub fn catalogue_json(movies_csv: &[u8], tags_csv: Option<&[u8]>) -> Result<Value> {
    let mut items: Vec<Map<String, Value>> = Vec::new();
    let mut index = rustc_hash::FxHashMap::default();
    for (line, record) in records(movies_csv, "movies.csv", 3)? {
        let (id, full_title, genres) = (&record[0], &record[1], &record[2]);
        let (title, year) = split_year(full_title);
        let genres: Vec<&str> = genres
            .split('|')
            .filter(|g| !g.is_empty() && *g != "(no genres listed)")
            .collect();
        let mut item = Map::new();
        item.insert("id".into(), json!(id));
        item.insert("title".into(), json!(title));
        item.insert("genres".into(), json!(genres));
        if let Some(year) = year {
            item.insert("year".into(), json!(year));
        }
        if index.insert(id.to_string(), items.len()).is_some() {
            return Err(Error::Csv {
                source_name: "movies.csv".into(),
                line,
                message: format!("duplicate movieId {id:?}"),
            });
        }
        items.push(item);
    }
    if let Some(tags) = tags_csv {
        for (_, record) in records(tags, "tags.csv", 3)? {
            let Some(&i) = index.get(&record[1]) else {
                continue;
            };
            let tag = record[2].trim().to_lowercase();
            let entry = items[i].entry("tags").or_insert_with(|| json!([]));
            let list = entry.as_array_mut().expect("tags are stored as an array");
            if !tag.is_empty()
                && list.len() < limits::MAX_ARRAY_LEN
                && !list.iter().any(|t| t == &tag)
            {
                list.push(json!(tag));
            }
        }
    }
    Ok(json!({ "items": items }))
}

/// Data rows (after the header) with at least `columns` fields, with line numbers.
fn records(text: &[u8], name: &str, columns: usize) -> Result<Vec<(u64, Vec<String>)>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::Csv {
            source_name: name.into(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() < columns {
            return Err(Error::Csv {
                source_name: name.into(),
                line,
                message: format!("expected {columns} fields, got {}", record.len()),
            });
        }
        out.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(out)
}

/// `"Heat (1995)"` → (`"Heat"`, Some(1995)).
fn split_year(title: &str) -> (&str, Option<i32>) {
    let t = title.trim();
    if let Some(open) = t.rfind(" (") {
        if let Some(year) = t[open + 2..].strip_suffix(')').and_then(|y| y.parse().ok()) {
            return (&t[..open], Some(year));
        }
    }
    (t, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movies_and_tags() {
        let movies = b"movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n2,\"Heat, The (1995)\",(no genres listed)\n";
        let tags = b"userId,movieId,tag,timestamp\n5,1,Pixar,1\n6,1,pixar,2\n6,9,orphan,3\n";
        let v = catalogue_json(movies, Some(tags)).unwrap();
        assert_eq!(
            v["items"][0],
            json!({"id": "1", "title": "Toy Story", "year": 1995, "genres": ["Adventure", "Animation"], "tags": ["pixar"]})
        );
        assert_eq!(v["items"][1]["title"], "Heat, The");
        assert_eq!(v["items"][1]["genres"], json!([]));
        let e = catalogue_json(b"movieId,title,genres\n1,x\n", None).unwrap_err();
        assert_eq!(e.to_string(), "movies.csv line 2: expected 3 fields, got 2");
    }
}

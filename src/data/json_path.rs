//! The JSON path (`$.itemKnn.neighbors`, `$.items[3]`) of a position in a
//! JSON text, so an error that serde reports by line and column can also
//! say which value it is about.

/// The path of the innermost value open at 1-based `line` and `column`
/// (serde_json's error position) in `text`: `$` then `.key` per object
/// member (`["key"]` when the key is not a plain identifier) and `[i]` per
/// array element. The scan reads up to and including that position, so a
/// key whose closing quote is there (serde's position for "unknown field")
/// is part of the path. Text that is not well-formed gives the path as far
/// as it could be followed.
pub fn path_at(text: &[u8], line: usize, column: usize) -> String {
    let end = offset_of(text, line, column);
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i <= end && i < text.len() {
        match text[i] {
            b'{' => frames.push(Frame::Object {
                key: None,
                in_value: false,
            }),
            b'[' => frames.push(Frame::Array(0)),
            b'}' | b']' => {
                frames.pop();
            }
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = frames.last_mut() {
                    *in_value = true;
                }
            }
            b',' => match frames.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object { key, in_value }) => {
                    *key = None;
                    *in_value = false;
                }
                None => {}
            },
            b'"' => {
                let (string, next) = read_string(text, i + 1);
                if let Some(Frame::Object {
                    key,
                    in_value: false,
                }) = frames.last_mut()
                {
                    *key = Some(string);
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::from("$");
    for frame in &frames {
        match frame {
            Frame::Object { key: Some(k), .. } if is_identifier(k) => {
                path.push('.');
                path.push_str(k);
            }
            Frame::Object { key: Some(k), .. } => {
                path.push_str(&format!("[{}]", serde_json::Value::from(k.as_str())));
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array(index) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// An open object (with the member being read) or array (with the index).
enum Frame {
    Object { key: Option<String>, in_value: bool },
    Array(usize),
}

/// The byte offset of 1-based `line`, `column` (clamped to the text).
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].iter().position(|&b| b == b'\n') {
            Some(n) => start += n + 1,
            None => break,
        }
    }
    (start + column.saturating_sub(1)).min(text.len().saturating_sub(1))
}

/// The string starting after an opening quote at `from` (escapes kept as
/// written but for `\"` and `\\`), and the offset after its closing quote.
fn read_string(text: &[u8], from: usize) -> (String, usize) {
    let mut bytes = Vec::new();
    let mut i = from;
    while i < text.len() {
        match text[i] {
            b'"' => return (String::from_utf8_lossy(&bytes).into_owned(), i + 1),
            b'\\' if i + 1 < text.len() => {
                let escaped = text[i + 1];
                if escaped != b'"' && escaped != b'\\' {
                    bytes.push(b'\\');
                }
                bytes.push(escaped);
                i += 2;
            }
            b => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&bytes).into_owned(), i)
}

/// A key that reads plainly after a dot.
fn is_identifier(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::path_at;

    #[test]
    fn paths_follow_keys_and_indices_to_the_position() {
        let text = br#"{"itemKnn": {"neighbors": 5}}"#;
        // Column 24 is the closing quote of "neighbors" (serde's unknown-field position).
        assert_eq!(path_at(text, 1, 24), "$.itemKnn.neighbors");
        let text = b"{\"a\": [1,\n {\"b c\": true}, 3]}";
        // Line 2, column 9 is inside the second element's member "b c".
        assert_eq!(path_at(text, 2, 9), "$.a[1][\"b c\"]");
        // After the second element closed and the third began.
        assert_eq!(path_at(text, 2, 17), "$.a[2]");
        assert_eq!(path_at(b"[]", 1, 1), "$[0]");
        assert_eq!(path_at(b"", 1, 1), "$");
    }

    #[test]
    fn quotes_and_brackets_inside_strings_do_not_count() {
        let text = br#"{"x": "a\"]},{", "y": 1}"#;
        // The last column but one: the value 1.
        assert_eq!(path_at(text, 1, text.len() - 1), "$.y");
    }
}

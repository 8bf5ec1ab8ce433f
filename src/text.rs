//! Unicode-aware tokeniser for product text.
//!
//! Steps, per text:
//! 1. NFKC normalisation, so full-width forms (`Ｔシャツ`, `ＡＢＣ`) fold to
//!    their usual forms.
//! 2. Lower-casing and accent folding of alphabetic scripts: each character
//!    below U+2000 (Latin, Greek, Cyrillic) is decomposed canonically and its combining marks dropped (`é` → `e`);
//!    a few letters that do not decompose are mapped by hand (`ø` → `o`,
//!    `æ` → `ae`, `ß` → `ss`, …). Kana keep their voicing marks, which carry
//!    meaning (`が` is not `か`).
//! 3. Splitting: a token is a maximal run of alphanumeric characters. Runs of
//!    CJK ideographs and kana are split into overlapping character bigrams
//!    (`蓝牙耳机` → `蓝牙`, `牙耳`, `耳机`), the usual approach for languages
//!    written without spaces; a lone CJK character is its own token.
//!
//! We write this by hand rather than pull in a full text-analysis crate
//! (tantivy's, charabia) because those carry dictionaries and tables far
//! larger than the rest of the wasm module; unicode-normalization provides
//! the tables we do need.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// True for Han ideographs, Hiragana and Katakana: scripts written without
/// spaces between words, which we split into bigrams.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana (incl. prolonged sound mark)
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x3134F  // CJK extensions B–G
    )
}

/// Letters that carry no canonical decomposition but are commonly typed
/// without their stroke or ligature.
fn fold_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'ł' => "l",
        'đ' => "d",
        'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// Calls `emit` with each token of `text`, in order.
///
/// Tokens borrow an internal buffer, so the callback copies what it keeps.
pub fn for_each_token(text: &str, mut emit: impl FnMut(&str)) {
    let mut word = String::new();
    // The current CJK run, as characters; emitted as bigrams when it ends.
    let mut cjk: Vec<char> = Vec::new();
    let mut pair = String::new();

    let flush_word = |word: &mut String, emit: &mut dyn FnMut(&str)| {
        if !word.is_empty() {
            emit(word);
            word.clear();
        }
    };
    let flush_cjk = |cjk: &mut Vec<char>, pair: &mut String, emit: &mut dyn FnMut(&str)| {
        if cjk.len() == 1 {
            pair.clear();
            pair.push(cjk[0]);
            emit(pair);
        }
        for w in cjk.windows(2) {
            pair.clear();
            pair.push(w[0]);
            pair.push(w[1]);
            emit(pair);
        }
        cjk.clear();
    };

    for c in text.nfkc() {
        if is_cjk(c) {
            flush_word(&mut word, &mut emit);
            cjk.push(c);
            continue;
        }
        if !cjk.is_empty() && !is_combining_mark(c) {
            flush_cjk(&mut cjk, &mut pair, &mut emit);
        }
        if !c.is_alphanumeric() {
            if !is_combining_mark(c) {
                flush_word(&mut word, &mut emit);
            }
            continue;
        }
        for lower in c.to_lowercase() {
            push_folded(lower, &mut word);
        }
    }
    flush_word(&mut word, &mut emit);
    flush_cjk(&mut cjk, &mut pair, &mut emit);
}

/// Appends `c` to `out` without its accents.
fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    if let Some(s) = fold_special(c) {
        out.push_str(s);
        return;
    }
    // Accents live in the alphabetic blocks below U+2000 (Latin, Greek,
    // Cyrillic, Vietnamese). Above it, decomposition would break Hangul
    // syllables into jamo, so those characters are kept whole.
    if c >= '\u{2000}' {
        out.push(c);
        return;
    }
    decompose_canonical(c, |d| {
        if !is_combining_mark(d) {
            out.push(d);
        }
    });
}

/// All tokens of `text`, as owned strings.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_punctuation_and_lowercases() {
        assert_eq!(
            tokenize("White Hanging-Heart T-Light, 12 pcs!"),
            ["white", "hanging", "heart", "t", "light", "12", "pcs"]
        );
    }

    #[test]
    fn folds_accents_and_special_letters() {
        assert_eq!(tokenize("Crème BRÛLÉE"), ["creme", "brulee"]);
        assert_eq!(tokenize("Smørrebrød Straße"), ["smorrebrod", "strasse"]);
        // A combining accent typed separately folds the same way.
        assert_eq!(tokenize("Cafe\u{301}"), ["cafe"]);
    }

    #[test]
    fn full_width_forms_fold() {
        assert_eq!(tokenize("ＡＢＣ１２３"), ["abc123"]);
    }

    #[test]
    fn chinese_runs_become_bigrams() {
        // 蓝牙耳机 (Bluetooth earphones): 4 characters → 3 bigrams.
        assert_eq!(tokenize("蓝牙耳机"), ["蓝牙", "牙耳", "耳机"]);
        // Mixed script: the Latin word and the CJK run are separate.
        assert_eq!(tokenize("Sony无线耳机"), ["sony", "无线", "线耳", "耳机"]);
        // A lone ideograph is a unigram.
        assert_eq!(tokenize("茶 tea"), ["茶", "tea"]);
    }

    #[test]
    fn japanese_keeps_voicing_marks() {
        // ガラス (glass) in katakana: the voiced ガ must stay ガ, not カ.
        assert_eq!(tokenize("ガラス"), ["ガラ", "ラス"]);
        // Half-width katakana folds to full width under NFKC.
        assert_eq!(tokenize("ｶﾞﾗｽ"), ["ガラ", "ラス"]);
    }

    #[test]
    fn hangul_is_split_on_spaces_like_latin() {
        assert_eq!(tokenize("무선 이어폰"), ["무선", "이어폰"]);
    }

    #[test]
    fn empty_and_symbol_only_text_has_no_tokens() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" -- !! ").is_empty());
    }
}

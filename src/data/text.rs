//! Unicode-aware tokeniser for product text.
//!
//! Steps, per character:
//! 1. Width folding: full-width ASCII (`ＡＢＣ１２３`) becomes ASCII and
//!    half-width katakana (`ｶﾞﾗｽ`) full-width, as NFKC would do for them.
//! 2. Lower-casing and accent folding: Latin letters with diacritics fold to
//!    their base letter (`é` → `e`, `ệ` → `e`), Greek tonos and dialytika
//!    are dropped, combining marks typed separately are dropped, and a few
//!    letters without a decomposition are mapped by hand (`ø` → `o`,
//!    `æ` → `ae`, `ß` → `ss`, …). Kana keep their voicing marks, which carry
//!    meaning (`が` is not `か`): a separate voicing mark is composed onto
//!    the kana before it.
//! 3. Splitting: a token is a maximal run of alphanumeric characters. Runs of
//!    CJK ideographs and kana are split into overlapping character bigrams
//!    (`蓝牙耳机` → `蓝牙`, `牙耳`, `耳机`), the usual approach for languages
//!    written without spaces; a lone CJK character is its own token.
//!
//! Why by hand: the unicode-normalization crate does all of this and more,
//! but its composition and compatibility tables added about 80 KB to the
//! wasm module (43 KB gzipped), a fifth of the whole size budget. The tables
//! below (about 700 bytes) were derived from the Unicode Character Database
//! decompositions of the Latin blocks U+00C0–U+024F and U+1E00–U+1EFF.

/// True for Han ideographs, Hiragana and Katakana: scripts written without
/// spaces between words, which we split into bigrams.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x3096      // Hiragana
        | 0x309D..=0x30FF    // Hiragana iteration marks, Katakana (incl. ー)
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x3134F  // CJK extensions B–G
    )
}

/// Base letters of U+00C0–U+024F (`_`: no ASCII base letter).
const LATIN_1_AND_EXTENDED: &[u8; 400] = b"aaaaaa_ceeeeiiii_nooooo__uuuuy__aaaaaa_ceeeeiiii_nooooo__uuuuy_yaaaaaaccccccccdd__eeeeeeeeeegggggggghh__iiiiiiiii___jjkk_llllll____nnnnnn___oooooo__rrrrrrsssssssstttt__uuuuuuuuuuuuwwyyyzzzzzz_________________________________oo_____________uu____________________________aaiioouuuuuuuuuu_aaaa____ggkkoooo__j___gg__nnaa____aaaaeeeeiiiioooorrrruuuusstt__hh______aaeeooooooooyy____________________________";
/// Base letters of U+1E00–U+1EFF (Latin Extended Additional, Vietnamese).
const LATIN_EXTENDED_ADDITIONAL: &[u8; 256] = b"aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwy______aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy______";
/// Full-width forms of U+FF66–U+FF9D (half-width katakana), in order.
const HALF_WIDTH_KATAKANA: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

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

/// Greek vowels with tonos or dialytika, lower case, to their base vowel.
fn fold_greek(c: char) -> Option<char> {
    Some(match c {
        'ά' => 'α',
        'έ' => 'ε',
        'ή' => 'η',
        'ί' | 'ϊ' | 'ΐ' => 'ι',
        'ό' => 'ο',
        'ύ' | 'ϋ' | 'ΰ' => 'υ',
        'ώ' => 'ω',
        _ => return None,
    })
}

/// Combining diacritical marks, dropped when folding.
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The voicing marks of kana: combining, spacing and half-width. `true` for
/// the voiced mark (dakuten), `false` for the semi-voiced one (handakuten).
fn kana_mark(c: char) -> Option<bool> {
    match c {
        '\u{3099}' | '\u{309B}' | '\u{FF9E}' => Some(true),
        '\u{309A}' | '\u{309C}' | '\u{FF9F}' => Some(false),
        _ => None,
    }
}

/// `base` with a voicing mark, when that kana exists (`か` + ゛ → `が`,
/// `は` + ゜ → `ぱ`, `ウ` + ゛ → `ヴ`).
fn compose_kana(base: char, voiced: bool) -> Option<char> {
    let b = base as u32;
    // Hiragana and katakana share a layout, 0x60 apart.
    let (h, offset) = if (0x30A0..=0x30FF).contains(&b) {
        (b - 0x60, 0x60)
    } else {
        (b, 0)
    };
    let composed = match (h, voiced) {
        // か..ぢ: the voiceable kana sit on odd code points.
        (0x304B..=0x3061, true) if h % 2 == 1 => h + 1,
        // つ, て, と.
        (0x3064 | 0x3066 | 0x3068, true) => h + 1,
        // は, ひ, ふ, へ, ほ: voiced +1, semi-voiced +2.
        (0x306F | 0x3072 | 0x3075 | 0x3078 | 0x307B, true) => h + 1,
        (0x306F | 0x3072 | 0x3075 | 0x3078 | 0x307B, false) => h + 2,
        // う → ゔ (U+3094); ウ → ヴ (U+30F4) through the offset.
        (0x3046, true) => 0x3094,
        _ => return None,
    };
    char::from_u32(composed + offset)
}

/// Width folding: full-width ASCII to ASCII, half-width katakana to full width.
fn fold_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        0xFF66..=0xFF9D => HALF_WIDTH_KATAKANA
            .chars()
            .nth(c as usize - 0xFF66)
            .unwrap_or(c),
        _ => c,
    }
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

    for c in text.chars().map(fold_width) {
        if let Some(voiced) = kana_mark(c) {
            // Compose onto the kana before it; a stray mark is dropped.
            if let Some(last) = cjk.last_mut() {
                if let Some(composed) = compose_kana(*last, voiced) {
                    *last = composed;
                }
            }
            continue;
        }
        if is_cjk(c) {
            flush_word(&mut word, &mut emit);
            cjk.push(c);
            continue;
        }
        if is_combining_mark(c) {
            continue;
        }
        if !cjk.is_empty() {
            flush_cjk(&mut cjk, &mut pair, &mut emit);
        }
        if !c.is_alphanumeric() {
            flush_word(&mut word, &mut emit);
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
    let from_table = |table: &[u8], start: u32| {
        let b = table
            .get((c as u32 - start) as usize)
            .copied()
            .unwrap_or(b'_');
        (b != b'_').then_some(b as char)
    };
    let base = match c as u32 {
        0x00..=0x7F => Some(c),
        0x00C0..=0x024F => from_table(LATIN_1_AND_EXTENDED, 0x00C0),
        0x1E00..=0x1EFF => from_table(LATIN_EXTENDED_ADDITIONAL, 0x1E00),
        _ => fold_greek(c),
    };
    match (fold_special(c), base) {
        (Some(s), _) => out.push_str(s),
        (None, Some(b)) => out.push(b),
        (None, None) => out.push(c),
    }
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
    fn vietnamese_greek_and_latin_extended_fold() {
        assert_eq!(tokenize("Tiếng Việt"), ["tieng", "viet"]);
        assert_eq!(tokenize("Καφές"), ["καφες"]);
        assert_eq!(tokenize("Łódź"), ["lodz"]);
    }

    #[test]
    fn kana_voicing_marks_compose() {
        // Decomposed input (か + combining ゛) composes to が, as typed.
        assert_eq!(tokenize("か\u{3099}らす"), ["がら", "らす"]);
        // Semi-voiced: ﾊ + ﾟ → パ; ｳ + ﾞ → ヴ.
        assert_eq!(tokenize("ﾊﾟﾝ"), ["パン"]);
        assert_eq!(tokenize("ｳﾞｨ"), ["ヴィ"]);
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

//! Fonts a template carries itself: `@font-face` rules of its style sheets whose `src` is a
//! `data:` URL (WOFF2, WOFF, TrueType or OpenType), as Figma and web tools export them. usvg
//! ignores `@font-face`; certforge decodes them into the template's own fonts, named by the
//! rule's `font-family`. A `src` that is not a `data:` URL is never fetched.

use crate::error::{Error, Result};
use crate::Warning;

/// One font of an `@font-face` rule: the family the rule declares and the font's sfnt bytes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FaceRule {
    pub family: String,
    pub bytes: Vec<u8>,
}

/// The `@font-face` fonts of `css`, at most `max_bytes` decoded bytes in all. A rule whose font
/// cannot be decoded is skipped with a `FONT_INVALID` warning; a rule without a `data:` source
/// (a web font by URL) with an `EXTERNAL_REFERENCE_DROPPED` warning.
pub(crate) fn font_faces(
    css: &str,
    max_bytes: usize,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<FaceRule>> {
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut rest = css;
    while let Some(at) = find_ascii_ci(rest, "@font-face") {
        rest = &rest[at + "@font-face".len()..];
        let Some(open) = rest.find('{') else { break };
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let block = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let declarations = declarations(block);
        let Some(family) = declarations
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("font-family"))
            .map(|(_, v)| unquote(v).to_string())
            .filter(|f| !f.is_empty())
        else {
            continue;
        };
        let src = declarations
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("src"))
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        let urls = urls(src);
        let Some(data) = urls.iter().find(|u| u.trim_start().starts_with("data:")) else {
            if !urls.is_empty() {
                warnings.push(Warning::new(
                    "EXTERNAL_REFERENCE_DROPPED",
                    format!("the @font-face font \"{family}\" is linked, not embedded: certforge never fetches it"),
                ));
            }
            continue;
        };
        match decode(data, max_bytes.saturating_sub(total)) {
            Ok(bytes) => {
                total += bytes.len();
                out.push(FaceRule { family, bytes });
            }
            Err(Error::LimitExceeded { .. }) => {
                return Err(Error::limit(
                    "bytes of the fonts embedded in the template (@font-face)",
                    max_bytes as u64,
                    (total as u64).saturating_add(1),
                ));
            }
            Err(e) => warnings.push(Warning::new(
                "FONT_INVALID",
                format!(
                    "the @font-face font \"{family}\" cannot be read ({e}); another font is used"
                ),
            )),
        }
    }
    Ok(out)
}

/// `text` without its `@font-face { ... }` rules, and those rules: the fonts are decoded once at
/// compile time, and the megabytes of base64 they hold are not parsed again for every
/// measurement and every certificate.
pub(crate) fn take_font_faces(text: &str) -> (String, String) {
    let (mut rest, mut rules) = (String::with_capacity(text.len()), String::new());
    let mut tail = text;
    while let Some(at) = find_ascii_ci(tail, "@font-face") {
        let Some(close) = tail[at..].find('}') else {
            break;
        };
        rest.push_str(&tail[..at]);
        rules.push_str(&tail[at..at + close + 1]);
        rules.push('\n');
        tail = &tail[at + close + 1..];
    }
    rest.push_str(tail);
    (rest, rules)
}

/// The sfnt bytes of a `data:` URL holding WOFF2, WOFF, TrueType or OpenType.
fn decode(url: &str, max_bytes: usize) -> Result<Vec<u8>> {
    let invalid = |why: &str| Error::FontInvalid(why.to_string());
    let parsed = data_url::DataUrl::process(url.trim()).map_err(|_| invalid("not a data: URL"))?;
    let (bytes, _) = parsed
        .decode_to_vec()
        .map_err(|_| invalid("its base64 is broken"))?;
    if bytes.len() > max_bytes {
        return Err(Error::limit(
            "font bytes",
            max_bytes as u64,
            bytes.len() as u64,
        ));
    }
    // WOFF and WOFF2 give the decoded size in their header (totalSfntSize, bytes 16..20): the
    // limit is checked before anything is allocated for it.
    let sfnt = match bytes.get(..4) {
        Some(b"wOF2") | Some(b"wOFF") => {
            let declared = bytes
                .get(16..20)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
                .ok_or_else(|| invalid("a WOFF header cut short"))?;
            if declared > max_bytes {
                return Err(Error::limit(
                    "font bytes",
                    max_bytes as u64,
                    declared as u64,
                ));
            }
            if bytes.starts_with(b"wOF2") {
                wuff::decompress_woff2(&bytes).map_err(|e| invalid(&format!("WOFF2: {e:?}")))?
            } else {
                wuff::decompress_woff1(&bytes).map_err(|e| invalid(&format!("WOFF: {e:?}")))?
            }
        }
        _ => bytes,
    };
    if sfnt.len() > max_bytes {
        return Err(Error::limit(
            "font bytes",
            max_bytes as u64,
            sfnt.len() as u64,
        ));
    }
    ttf_parser::Face::parse(&sfnt, 0).map_err(|e| invalid(&format!("not a font: {e}")))?;
    Ok(sfnt)
}

/// `name: value` pairs of a declaration block; `;` inside quotes or `url(...)` does not split.
fn declarations(block: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0usize);
    let mut push = |piece: &str| {
        if let Some((k, v)) = piece.split_once(':') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    };
    for (i, c) in block.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ';') if depth <= 0 => {
                push(&block[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    push(&block[start..]);
    out
}

/// The contents of every `url(...)` in a `src` value, without quotes.
fn urls(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(at) = find_ascii_ci(rest, "url(") {
        rest = &rest[at + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        out.push(unquote(&rest[..end]).to_string());
        rest = &rest[end..];
    }
    out
}

fn unquote(v: &str) -> &str {
    v.trim().trim_matches(|c| c == '"' || c == '\'').trim()
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_keep_data_urls_whole() {
        let d = declarations("font-family: 'Acme'; src: url(data:font/woff2;base64,AAAA) format('woff2'); font-weight: 400");
        assert_eq!(d[0], ("font-family".into(), "'Acme'".into()));
        assert_eq!(d[1].1, "url(data:font/woff2;base64,AAAA) format('woff2')");
        assert_eq!(
            urls(&d[1].1),
            vec!["data:font/woff2;base64,AAAA".to_string()]
        );
    }

    #[test]
    fn rules_are_taken_out_of_the_sheet() {
        let (rest, rules) =
            take_font_faces(".a{fill:red}@font-face{font-family:A;src:url(x)}.b{fill:blue}");
        assert_eq!(rest, ".a{fill:red}.b{fill:blue}");
        assert_eq!(rules, "@font-face{font-family:A;src:url(x)}\n");
    }

    #[test]
    fn linked_and_broken_fonts_are_warnings() {
        let mut warnings = Vec::new();
        let css = "@font-face{font-family:A;src:url(https://example.com/a.woff2)}\
                   @FONT-FACE{font-family:\"B\";src:url('data:font/woff2;base64,d09GMgAB')}";
        assert!(font_faces(css, 1 << 20, &mut warnings).unwrap().is_empty());
        let codes: Vec<&str> = warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(codes, ["EXTERNAL_REFERENCE_DROPPED", "FONT_INVALID"]);
    }

    #[test]
    fn a_woff2_that_claims_more_than_the_limit_is_refused_before_decoding() {
        let mut header = b"wOF2\0\x01\0\0\0\0\0\0\0\0\0\0".to_vec();
        header.extend_from_slice(&u32::MAX.to_be_bytes());
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &header);
        let css = format!("@font-face{{font-family:X;src:url(data:font/woff2;base64,{b64})}}");
        let err = font_faces(&css, 1 << 20, &mut Vec::new()).unwrap_err();
        assert!(matches!(err, Error::LimitExceeded { .. }), "{err:?}");
    }
}

//! Which face a `font-family` list gets, as fontconfig would choose it.
//!
//! Templates name the fonts their designer had: Arial, Helvetica, Times New Roman, Verdana,
//! Lora, Illustrator's PostScript names (`Arial-BoldMT`), Inkscape's generic `Sans`. A list is
//! read in order and the first family that is available wins, where available means:
//! 1. a loaded family of that name (case-insensitive), or a face with that PostScript name;
//! 2. its metric-compatible free face (Arimo for Arial and Helvetica, Tinos for Times, Cousine
//!    for Courier: same advance widths, so the layout the designer saw is kept), as
//!    fontconfig's `30-metric-aliases.conf` binds them;
//! 3. a generic family (`serif`, `sans-serif`, ...), always available.
//!
//! When nothing in the list is available, the first named family is replaced by its generic
//! class (serif, sans-serif, monospace, cursive, fantasy; fontconfig's `45-latin.conf` and the
//! words in the name; serif when the name says nothing, as browsers do). Every replacement is
//! logged for a warning.

use std::sync::{Arc, Mutex};

use usvg::{FontFamily, FontStretch, FontStyle};

/// Families and the free faces with the same metrics, in order of preference.
const METRIC_ALIASES: &[(&[&str], &[&str])] = &[
    (
        &[
            "arial",
            "arialmt",
            "helvetica",
            "helvetica neue",
            "liberation sans",
            "arimo",
            "nimbus sans",
            "nimbus sans l",
            "albany",
            "albany amt",
        ],
        &["Liberation Sans", "Arimo"],
    ),
    (
        &[
            "times new roman",
            "timesnewromanpsmt",
            "times",
            "liberation serif",
            "tinos",
            "nimbus roman",
            "nimbus roman no9 l",
            "thorndale",
            "thorndale amt",
        ],
        &["Liberation Serif", "Tinos"],
    ),
    (
        &[
            "courier new",
            "couriernewpsmt",
            "courier",
            "liberation mono",
            "cousine",
            "nimbus mono",
            "nimbus mono l",
            "nimbus mono ps",
            "cumberland",
            "cumberland amt",
        ],
        &["Liberation Mono", "Cousine"],
    ),
];

/// Generic classes of well-known families (lower case), after fontconfig's 45-latin.conf
/// (serif is the default, see [`generic_class`]).
const SANS: &[&str] = &[
    "verdana",
    "tahoma",
    "trebuchet",
    "segoe",
    "calibri",
    "candara",
    "corbel",
    "lato",
    "open sans",
    "roboto",
    "ubuntu",
    "cantarell",
    "montserrat",
    "raleway",
    "poppins",
    "inter",
    "nunito",
    "futura",
    "gill sans",
    "franklin",
    "century gothic",
    "avant garde",
    "univers",
    "eurostile",
    "optima",
    "myriad",
    "frutiger",
    "avenir",
    "lucida grande",
    "lucida sans",
    "geneva",
    "josefin",
    "kohinoor",
    "fira",
    "oswald",
    "barlow",
    "mulish",
    "quicksand",
    "source sans",
    "vera",
    "freesans",
    "carlito",
    "helvet",
    "dejavu",
    "noto sans",
    "arimo",
];
const MONOSPACE: &[&str] = &[
    "consolas",
    "monaco",
    "menlo",
    "lucida console",
    "andale",
    "inconsolata",
    "source code",
    "jetbrains",
    "courier",
    "mono",
    "code",
    "terminal",
    "fixed",
];
const CURSIVE: &[&str] = &[
    "chancery",
    "comic sans",
    "brush",
    "handwriting",
    "corsiva",
    "vibes",
    "alex brush",
    "rochester",
    "pacifico",
    "dancing",
    "yellowtail",
    "allura",
    "parisienne",
    "sacramento",
    "satisfy",
    "kaushan",
    "tangerine",
    "pinyon",
    "italianno",
    "charmonman",
    "script",
    "hand",
    "calligraph",
    "cursive",
    "marck",
    "lobster",
    "cookie",
    "courgette",
    "sofia",
    "niconne",
];
const FANTASY: &[&str] = &[
    "impact",
    "papyrus",
    "jokerman",
    "cloister",
    "old english",
    "blackletter",
    "fraktur",
    "copperplate",
    "stencil",
    "sedgwick",
    "bangers",
    "luminari",
    "chalkduster",
    "herculanum",
    "haettenschweiler",
    "fantasy",
    "unifrakturmaguntia",
    "creepster",
];

/// The generic class of a family name, by the lists above and the words in it (a name
/// with "Sans" in it is a sans-serif). A name that says nothing (Lora, Georgia, Times) is a
/// serif, as browsers and resvg draw an unknown family (fontconfig would pick
/// sans-serif).
pub(crate) fn generic_class(name: &str) -> FontFamily {
    let lower = name.to_lowercase();
    let has = |list: &[&str]| list.iter().any(|word| lower.contains(word));
    if lower == "sans" || lower.contains("sans") && !lower.contains("mono") {
        return FontFamily::SansSerif;
    }
    if has(MONOSPACE) {
        FontFamily::Monospace
    } else if has(CURSIVE) {
        FontFamily::Cursive
    } else if has(FANTASY) {
        FontFamily::Fantasy
    } else if has(SANS) {
        FontFamily::SansSerif
    } else {
        FontFamily::Serif
    }
}

/// `Arial-BoldMT` → (`Arial`, bold, not italic): the family part of a PostScript name and what
/// its style part says. Names without a hyphen are returned whole.
fn split_postscript(name: &str) -> (String, Option<u16>, bool) {
    let Some((family, style)) = name.rsplit_once('-') else {
        return (name.to_string(), None, false);
    };
    let style = style.to_lowercase();
    let weight = [
        ("extrabold", 800),
        ("ultrabold", 800),
        ("semibold", 600),
        ("demibold", 600),
        ("bold", 700),
        ("black", 900),
        ("heavy", 900),
        ("medium", 500),
        ("extralight", 200),
        ("light", 300),
        ("thin", 100),
    ]
    .iter()
    .find(|(word, _)| style.contains(word))
    .map(|(_, w)| *w);
    let italic = style.contains("italic") || style.contains("oblique");
    let family = family
        .trim_end_matches("MT")
        .trim_end_matches("PS")
        .to_string();
    (family, weight, italic)
}

/// A name in lower case without spaces: `OpenSans` (a PostScript name) is `Open Sans`.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A loaded family named `name` (any case, any spacing), as the font spells it.
fn loaded_family(db: &fontdb::Database, name: &str) -> Option<String> {
    let wanted = squash(name);
    db.faces().find_map(|face| {
        face.families
            .iter()
            .find(|(family, _)| squash(family) == wanted)
            .map(|(family, _)| family.clone())
    })
}

fn metric_alias(db: &fontdb::Database, name: &str) -> Option<String> {
    let wanted = squash(name);
    METRIC_ALIASES
        .iter()
        .filter(|(names, _)| names.iter().any(|n| squash(n) == wanted))
        .flat_map(|(_, faces)| faces.iter())
        .find_map(|face| loaded_family(db, face))
}

enum Choice {
    Family(String),
    Generic(FontFamily),
}

/// A substitution made: the family the template asked for, the one it got.
pub(crate) type SubstitutionLog = Arc<Mutex<Vec<(String, String)>>>;

/// usvg's font selector with the rules above; substitutions are appended to `log`.
pub(crate) fn font_selector(log: SubstitutionLog) -> usvg::FontSelectionFn<'static> {
    Box::new(move |font, db| {
        let mut weight = font.weight();
        let mut italic = font.style() != FontStyle::Normal;
        let mut choice = None;
        let mut substituted = false;
        // The designer's first family is missing, whatever comes instead (a later family of
        // the list, a generic one): the organizer is told.
        let mut first_missing = false;
        for (index, family) in font.families().iter().enumerate() {
            let FontFamily::Named(name) = family else {
                choice = Some(Choice::Generic(family.clone()));
                break;
            };
            if let Some(actual) = loaded_family(db, name) {
                choice = Some(Choice::Family(actual));
                break;
            }
            if let Some(face) = db
                .faces()
                .find(|face| face.post_script_name.eq_ignore_ascii_case(name))
            {
                return Some(face.id);
            }
            first_missing |= index == 0;
            let (base, ps_weight, ps_italic) = split_postscript(name);
            let found = loaded_family(db, &base).or_else(|| metric_alias(db, &base));
            if let Some(actual) = found {
                if weight == 400 {
                    weight = ps_weight.unwrap_or(weight);
                }
                italic |= ps_italic;
                substituted = !actual.eq_ignore_ascii_case(&base);
                choice = Some(Choice::Family(actual));
                break;
            }
        }
        let choice = choice.unwrap_or_else(|| {
            let first = font.families().iter().find_map(|f| match f {
                FontFamily::Named(name) => Some(name.as_str()),
                _ => None,
            });
            let (base, ps_weight, ps_italic) = split_postscript(first.unwrap_or("serif"));
            if weight == 400 {
                weight = ps_weight.unwrap_or(weight);
            }
            italic |= ps_italic;
            substituted = first.is_some();
            Choice::Generic(generic_class(&base))
        });
        substituted |= first_missing;
        let owned;
        let family = match &choice {
            Choice::Family(name) => {
                owned = name.clone();
                fontdb::Family::Name(&owned)
            }
            Choice::Generic(FontFamily::Serif) => fontdb::Family::Serif,
            Choice::Generic(FontFamily::Monospace) => fontdb::Family::Monospace,
            Choice::Generic(FontFamily::Cursive) => fontdb::Family::Cursive,
            Choice::Generic(FontFamily::Fantasy) => fontdb::Family::Fantasy,
            Choice::Generic(_) => fontdb::Family::SansSerif,
        };
        let query = fontdb::Query {
            families: &[family, fontdb::Family::SansSerif],
            weight: fontdb::Weight(weight),
            stretch: stretch(font.stretch()),
            style: if italic {
                fontdb::Style::Italic
            } else {
                fontdb::Style::Normal
            },
        };
        let id = db.query(&query)?;
        if substituted {
            if let (Some(FontFamily::Named(asked)), Some(face)) =
                (font.families().first(), db.face(id))
            {
                let got = face
                    .families
                    .first()
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default();
                if let Ok(mut log) = log.lock() {
                    if !log.iter().any(|(a, _)| a == asked) {
                        log.push((asked.clone(), got));
                    }
                }
            }
        }
        Some(id)
    })
}

fn stretch(stretch: FontStretch) -> fontdb::Stretch {
    match stretch {
        FontStretch::UltraCondensed => fontdb::Stretch::UltraCondensed,
        FontStretch::ExtraCondensed => fontdb::Stretch::ExtraCondensed,
        FontStretch::Condensed => fontdb::Stretch::Condensed,
        FontStretch::SemiCondensed => fontdb::Stretch::SemiCondensed,
        FontStretch::Normal => fontdb::Stretch::Normal,
        FontStretch::SemiExpanded => fontdb::Stretch::SemiExpanded,
        FontStretch::Expanded => fontdb::Stretch::Expanded,
        FontStretch::ExtraExpanded => fontdb::Stretch::ExtraExpanded,
        FontStretch::UltraExpanded => fontdb::Stretch::UltraExpanded,
    }
}

/// The generic families of a font set: sans-serif is Noto Sans; serif, monospace, cursive
/// and fantasy are the template's own face of that class when it brings one (the fonts
/// added last), else the bundled one (Tinos, Cousine, Great Vibes).
pub(crate) fn generic_families(db: &fontdb::Database) -> [(FontFamily, Option<String>); 5] {
    let families: Vec<(String, bool)> = db
        .faces()
        .filter_map(|f| f.families.first().map(|(n, _)| (n.clone(), f.monospaced)))
        .filter(|(n, _)| n != crate::fonts::FALLBACK_ONLY_FAMILY)
        .collect();
    let named = |wanted: &[&str]| -> Option<String> {
        wanted.iter().find_map(|w| {
            families
                .iter()
                .find(|(f, _)| f.eq_ignore_ascii_case(w))
                .map(|(f, _)| f.clone())
        })
    };
    let last_of = |class: FontFamily| -> Option<String> {
        families
            .iter()
            .rev()
            .find(|(f, _)| generic_class(f) == class)
            .map(|(f, _)| f.clone())
    };
    let sans = named(&["Noto Sans"]).or_else(|| families.first().map(|(f, _)| f.clone()));
    let serif = named(&["Noto Serif", "Liberation Serif", "Tinos"])
        .or_else(|| last_of(FontFamily::Serif))
        .or_else(|| sans.clone());
    let mono = named(&["Noto Mono", "Liberation Mono", "Cousine"])
        .or_else(|| {
            families
                .iter()
                .rev()
                .find(|(_, m)| *m)
                .map(|(f, _)| f.clone())
        })
        .or_else(|| sans.clone());
    let cursive = last_of(FontFamily::Cursive).or_else(|| serif.clone());
    let fantasy = last_of(FontFamily::Fantasy).or_else(|| sans.clone());
    [
        (FontFamily::SansSerif, sans),
        (FontFamily::Serif, serif),
        (FontFamily::Monospace, mono),
        (FontFamily::Cursive, cursive),
        (FontFamily::Fantasy, fantasy),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_common_families() {
        assert_eq!(generic_class("Verdana"), FontFamily::SansSerif);
        assert_eq!(generic_class("Lora"), FontFamily::Serif);
        assert_eq!(generic_class("Libre Baskerville"), FontFamily::Serif);
        assert_eq!(generic_class("URW Chancery L"), FontFamily::Cursive);
        assert_eq!(generic_class("Alex Brush"), FontFamily::Cursive);
        assert_eq!(generic_class("Consolas"), FontFamily::Monospace);
        assert_eq!(generic_class("DejaVu Sans Mono"), FontFamily::Monospace);
        assert_eq!(generic_class("Stardos Stencil"), FontFamily::Fantasy);
        assert_eq!(generic_class("Sans"), FontFamily::SansSerif);
        assert_eq!(generic_class("Museo Sans"), FontFamily::SansSerif);
        assert_eq!(generic_class("Noto Serif"), FontFamily::Serif);
        assert_eq!(generic_class("Some Unknown Face"), FontFamily::Serif);
        assert_eq!(generic_class("Invalid"), FontFamily::Serif);
    }

    #[test]
    fn postscript_names() {
        assert_eq!(
            split_postscript("Arial-BoldMT"),
            ("Arial".into(), Some(700), false)
        );
        assert_eq!(split_postscript("ArialMT"), ("ArialMT".into(), None, false));
        assert_eq!(
            split_postscript("Montserrat-SemiBoldItalic"),
            ("Montserrat".into(), Some(600), true)
        );
        assert_eq!(
            split_postscript("TimesNewRomanPS-ItalicMT"),
            ("TimesNewRoman".into(), None, true)
        );
    }
}

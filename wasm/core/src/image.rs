//! Embedded images: which kinds a template may embed, and how big, checked from
//! the bytes themselves (never from the declared media type) before anything
//! decodes them.
//!
//! Policy: raster images (PNG, JPEG, GIF, WebP) and SVG images (a logo as SVG, gzipped
//! or not) may be embedded, as `data:` URLs; nothing is ever read from a file or a URL.
//! An SVG image goes through the same checks as a template before usvg parses it
//! (`limits::prescan`: size, nodes, nesting, entities; a gzip stream is inflated to at
//! most the image byte limit), its own images must be raster images (an SVG inside an
//! SVG image is `UNSUPPORTED_CONTENT`), and its tree is held to the raster limits.
//!
//! The checks run twice, by the same function: on every `href` of the template
//! while it is walked (a typed error at compile time, with the element), and in
//! usvg's image resolver, the one place through which usvg loads any image, so
//! whatever spelling reaches usvg is checked again before it is kept.

use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::limits::Limits;

/// The raster formats certforge embeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Raster {
    Png,
    Jpeg,
    Gif,
    Webp,
    /// An SVG image (plain or gzipped), checked by [`svg_image`].
    Svg,
}

/// Decodes a `data:` URL the way usvg does (the `data-url` crate: any case,
/// whitespace, percent-encoding, base64 with any parameters). `None` when
/// `href` is not a data URL.
pub(crate) fn decode_data_url(href: &str) -> Option<Result<Vec<u8>>> {
    let url = data_url::DataUrl::process(href).ok()?;
    Some(
        url.decode_to_vec()
            .map(|(bytes, _)| bytes)
            .map_err(|_| Error::TemplateInvalid("an embedded image is not valid base64".into())),
    )
}

/// Checks one embedded image: its kind from its magic bytes, its size in bytes,
/// and its pixel size from its header, adding the pixels to `total`.
pub(crate) fn check_raster(bytes: &[u8], limits: &Limits, total: &mut u64) -> Result<Raster> {
    if bytes.len() > limits.max_image_bytes {
        return Err(Error::limit(
            "embedded image size in bytes",
            limits.max_image_bytes as u64,
            bytes.len() as u64,
        ));
    }
    let kind = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => Raster::Png,
        Ok(imagesize::ImageType::Jpeg) => Raster::Jpeg,
        Ok(imagesize::ImageType::Gif) => Raster::Gif,
        Ok(imagesize::ImageType::Webp) => Raster::Webp,
        _ if looks_like_svg(bytes) => {
            svg_image(bytes, limits)?;
            return Ok(Raster::Svg);
        }
        Ok(other) => {
            return Err(Error::UnsupportedContent(format!(
                "embedded {other:?} images are not supported; use PNG, JPEG, GIF or WebP"
            )))
        }
        Err(_) => {
            return Err(Error::UnsupportedContent(
                "an embedded image is not a PNG, JPEG, GIF or WebP file".into(),
            ))
        }
    };
    let size = imagesize::blob_size(bytes).map_err(|_| {
        Error::TemplateInvalid(format!(
            "an embedded {kind:?} image has no readable size in its header"
        ))
    })?;
    let pixels = (size.width as u64).saturating_mul(size.height as u64);
    if pixels > limits.max_image_pixels {
        return Err(Error::limit(
            "embedded image size in pixels",
            limits.max_image_pixels,
            pixels,
        ));
    }
    *total = total.saturating_add(pixels);
    if *total > limits.max_total_image_pixels {
        return Err(Error::limit(
            "pixels of all embedded images together",
            limits.max_total_image_pixels,
            *total,
        ));
    }
    Ok(kind)
}

/// The text of an SVG image, inflated when gzipped (at most `max_image_bytes`), after the
/// checks every template gets (`limits::prescan`).
pub(crate) fn svg_image(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>> {
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        use std::io::Read;
        let mut out = Vec::new();
        let bound = limits.max_image_bytes as u64;
        flate2::read::GzDecoder::new(bytes)
            .take(bound + 1)
            .read_to_end(&mut out)
            .map_err(|_| {
                Error::TemplateInvalid("an embedded .svgz image is not valid gzip".into())
            })?;
        if out.len() as u64 > bound {
            return Err(Error::limit(
                "embedded SVG image size in bytes (inflated)",
                bound,
                out.len() as u64,
            ));
        }
        out
    } else {
        bytes.to_vec()
    };
    crate::limits::prescan(&text, limits)?;
    Ok(text)
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    text.contains("<svg") || text.trim_start().starts_with('<') || head.starts_with(&[0x1f, 0x8b])
}

/// The image resolver given to usvg, and the first error it met (usvg's resolver
/// cannot fail a parse; [`ImageGuard::finish`] turns a refusal into the parse's error).
pub(crate) struct ImageGuard {
    failure: Arc<Mutex<Option<Error>>>,
}

impl ImageGuard {
    /// A resolver that keeps only checked images: raster images, and SVG images whose own
    /// images are raster images.
    pub(crate) fn new(limits: &Limits) -> (Self, usvg::ImageHrefResolver<'static>) {
        let failure: Arc<Mutex<Option<Error>>> = Arc::default();
        let total = Mutex::new(0u64);
        // SVG images being parsed (the resolver is called again for their own images).
        let nesting = std::sync::atomic::AtomicUsize::new(0);
        let limits = limits.clone();
        let slot = Arc::clone(&failure);
        let resolve_data: usvg::ImageHrefDataResolverFn<'static> = Box::new(
            move |_mime, data, opts| {
                let fail = |e: Error| {
                    let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
                    slot.get_or_insert(e);
                    None
                };
                let checked = {
                    let mut total = total.lock().unwrap_or_else(|e| e.into_inner());
                    check_raster(&data, &limits, &mut total)
                };
                match checked {
                    Ok(Raster::Png) => Some(usvg::ImageKind::PNG(data)),
                    Ok(Raster::Jpeg) => Some(usvg::ImageKind::JPEG(data)),
                    Ok(Raster::Gif) => Some(usvg::ImageKind::GIF(data)),
                    Ok(Raster::Webp) => Some(usvg::ImageKind::WEBP(data)),
                    Ok(Raster::Svg) => {
                        use std::sync::atomic::Ordering;
                        if nesting.load(Ordering::SeqCst) > 0 {
                            return fail(Error::UnsupportedContent(
                                "an SVG image inside an embedded SVG image; embed it as PNG, or paste its content into the template".into(),
                            ));
                        }
                        let text = match svg_image(&data, &limits) {
                            Ok(text) => text,
                            Err(e) => return fail(e),
                        };
                        nesting.fetch_add(1, Ordering::SeqCst);
                        let tree = usvg::Tree::from_data_nested(&text, opts);
                        nesting.fetch_sub(1, Ordering::SeqCst);
                        match tree {
                            Ok(tree) => match crate::raster::check_tree(&tree, &limits) {
                                Ok(_) => Some(usvg::ImageKind::SVG(tree)),
                                Err(e) => fail(e),
                            },
                            Err(e) => fail(Error::TemplateInvalid(format!(
                                "an embedded SVG image cannot be read: {e}"
                            ))),
                        }
                    }
                    Err(e) => fail(e),
                }
            },
        );
        let resolver = usvg::ImageHrefResolver {
            resolve_data,
            // Never read a file or a URL.
            resolve_string: Box::new(|_, _| None),
        };
        (ImageGuard { failure }, resolver)
    }

    /// The first image the resolver refused, if any.
    pub(crate) fn finish(self) -> Result<()> {
        match self
            .failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut v = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
        v.extend_from_slice(b"IHDR");
        v.extend_from_slice(&width.to_be_bytes());
        v.extend_from_slice(&height.to_be_bytes());
        v.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        v
    }

    #[test]
    fn every_data_url_spelling_decodes_to_the_same_bytes() {
        let svg = "<svg xmlns='http://www.w3.org/2000/svg'/>";
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(svg);
        for href in [
            format!("data:image/svg+xml;base64,{b64}"),
            format!("data:image/SVG+XML;BASE64,{b64}"),
            format!("DATA:text/plain; base64,{b64}"),
            format!("data:;base64,{b64}"),
            format!(" data:,{}", svg.replace('<', "%3C").replace('>', "%3E")),
            format!("data:,{svg}"),
        ] {
            let bytes = decode_data_url(&href).unwrap().unwrap();
            let kind = check_raster(&bytes, &Limits::default(), &mut 0).unwrap();
            assert_eq!(kind, Raster::Svg, "{href}");
        }
    }

    #[test]
    fn pixels_are_read_from_the_header() {
        let mut total = 0;
        assert_eq!(
            check_raster(&png(100, 100), &Limits::default(), &mut total).unwrap(),
            Raster::Png
        );
        assert_eq!(total, 10_000);
        let err = check_raster(&png(10_000, 10_000), &Limits::default(), &mut total).unwrap_err();
        assert_eq!(err.code(), "LIMIT_EXCEEDED");
    }

    #[test]
    fn the_total_is_bounded_across_images() {
        let mut total = 0;
        let limits = Limits::default();
        check_raster(&png(4000, 3000), &limits, &mut total).unwrap();
        check_raster(&png(4000, 3000), &limits, &mut total).unwrap();
        let err = check_raster(&png(4000, 3000), &limits, &mut total).unwrap_err();
        assert_eq!(err.code(), "LIMIT_EXCEEDED");
    }
}

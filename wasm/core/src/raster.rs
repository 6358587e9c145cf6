//! Bounds on the rasters made from a template: the filters krilla-svg rasterises
//! into the PDF, and the layers resvg allocates when it draws the PNG preview.
//!
//! Checked on the usvg tree (after every spelling of the input is resolved into
//! groups, filters, masks and patterns), not on the XML.

use crate::error::{Error, Result};
use crate::limits::Limits;

/// The most page-sized rasters a preview may need at once (see [`check_tree`]).
pub(crate) const MAX_RASTER_COST: f64 = 64.0;

/// Artwork farther than this from the page origin, in user units (after transforms), is
/// refused: rasterisers convert such regions to integer pixel rectangles and overflow. The
/// largest page (5,080 mm) is about 19,200 units.
const MAX_COORDINATE: f32 = 1_000_000.0;

/// resvg clips a layer to 5 × 5 canvases (lib.rs: `max_bbox`).
const MAX_LAYER_PAGES: f64 = 25.0;

/// Checks filters and layers, and returns the tree's raster cost: how many
/// page-sized RGBA rasters resvg holds at most at once while drawing it (the
/// canvas not counted). The preview's pixel budget divides by it.
pub(crate) fn check_tree(tree: &usvg::Tree, limits: &Limits) -> Result<f64> {
    let page = (tree.size().width() as f64 * tree.size().height() as f64).max(1.0);
    let mut filtered = 0usize;
    let mut peak = 0f64;
    // Iterative: usvg may nest groups deeper than the XML (use → symbol).
    let mut stack: Vec<(&usvg::Group, f64)> = vec![(tree.root(), 0.0)];
    while let Some((group, above)) = stack.pop() {
        check_extent(group.abs_layer_bounding_box())?;
        for filter in group.filters() {
            // Filter and primitive regions are in the element's user space.
            let ts = group.abs_transform();
            check_extent(filter.rect().transform(ts).unwrap_or(filter.rect()))?;
            for primitive in filter.primitives() {
                let r = primitive.rect();
                check_extent(r.transform(ts).unwrap_or(r))?;
            }
        }
        let mut cost = above;
        if group.should_isolate() {
            let bbox = group.abs_layer_bounding_box();
            let pages = (bbox.width() as f64 * bbox.height() as f64 / page).min(MAX_LAYER_PAGES);
            let mut rasters = 1.0;
            if group.mask().is_some() {
                rasters += 1.0;
            }
            if group.clip_path().is_some() {
                rasters += 1.0;
            }
            if !group.filters().is_empty() {
                filtered += 1;
                if filtered > limits.max_filtered_elements {
                    return Err(Error::limit(
                        "elements drawn with a filter",
                        limits.max_filtered_elements as u64,
                        filtered as u64,
                    ));
                }
                for filter in group.filters() {
                    let primitives = filter.primitives().len();
                    if primitives > MAX_FILTER_PRIMITIVES {
                        return Err(Error::limit(
                            "primitives in one filter",
                            MAX_FILTER_PRIMITIVES as u64,
                            primitives as u64,
                        ));
                    }
                    // resvg keeps every primitive's result until the filter is done.
                    rasters += 1.0 + primitives as f64;
                }
            }
            cost += pages * rasters;
        }
        peak = peak.max(cost);
        if peak > MAX_RASTER_COST {
            return Err(Error::LimitExceeded {
                what: "page-sized rasters needed at once to draw the preview (nested opacity, masks, clips and filters over large areas)".into(),
                limit: MAX_RASTER_COST as u64,
                actual: peak.ceil() as u64,
            });
        }
        for child in group.children() {
            if let usvg::Node::Group(g) = child {
                stack.push((g, cost));
            }
        }
    }
    for pattern in tree.patterns() {
        let ts = pattern.transform();
        let scale = (ts.sx as f64 * ts.sy as f64 - ts.kx as f64 * ts.ky as f64).abs();
        let rect = pattern.rect();
        let pages = rect.width() as f64 * rect.height() as f64 * scale / page;
        if pages > MAX_LAYER_PAGES {
            return Err(Error::LimitExceeded {
                what: "pattern tile area, in pages".into(),
                limit: MAX_LAYER_PAGES as u64,
                actual: pages.min(u64::MAX as f64).ceil() as u64,
            });
        }
    }
    Ok(peak)
}

/// Refuses a region (artwork, filter or primitive) farther than MAX_COORDINATE from the origin.
fn check_extent(rect: usvg::NonZeroRect) -> Result<()> {
    let extent = [rect.left(), rect.top(), rect.right(), rect.bottom()]
        .iter()
        .fold(0f32, |m, v| m.max(v.abs()));
    if !extent.is_finite() || extent > MAX_COORDINATE {
        return Err(Error::LimitExceeded {
            what: "extent of the artwork, a filter or a filter primitive, in user units from the page origin".into(),
            limit: MAX_COORDINATE as u64,
            actual: extent.min(u64::MAX as f32) as u64,
        });
    }
    Ok(())
}

/// Primitives of one filter (each is a raster of the filter region while it runs).
pub(crate) const MAX_FILTER_PRIMITIVES: usize = 16;

/** Public API of the render pipeline (no Firebase imports under render/). */
export {
  CertforgeError,
  ERROR_CODES,
  isCertforgeError,
  isErrorCode,
  toCertforgeError,
  type ErrorCode,
} from './errors.js';
export {
  Core,
  type CompiledTemplateInfo,
  type CoreCreateOptions,
  type CoreFont,
  type CoreRenderResult,
  type CoreWarning,
  type FieldLayout,
  type FontFace,
  type PageSize,
} from './core.js';
export {
  bundledFontFiles,
  fallbackGroups,
  lazyFamilies,
  lazyGroupsFor,
  loadBundledFonts,
  loadFontDir,
} from './fonts.js';
export { sliceOf } from './font-slices.js';
export { BUNDLED_FONTS, resolveBundledFontPaths } from './font-manifest.js';
export { DEFAULT_PNG_WIDTH, PNG_RGB, PNG_RGBA, initPreview, pngFile, rasterize, type Raster } from './preview.js';
export {
  DATA_ATTACHMENT_NAME,
  coreAttachment,
  dataAttachment,
  type AttachmentRelationship,
  type PdfAttachment,
} from './attach-data.js';
export {
  CACHE_BUDGETS,
  FALLBACK_CREATION_DATE,
  PNG_MAX_PIXELS,
  PNG_RASTER_BUDGET_BYTES,
  PNG_WIDTH_MAX,
  PNG_WIDTH_MIN,
  Renderer,
  initRenderer,
  parseDeterministicDate,
  pdfMetaFor,
  type PdfMeta,
  previewWidth,
  renderCertificate,
  type CertificateData,
  type RenderOptions,
  type RenderResult,
  type RenderTimings,
  type RendererOptions,
  type Template,
  type TemplateSource,
} from './pipeline.js';
export { ByteLru } from './byte-lru.js';

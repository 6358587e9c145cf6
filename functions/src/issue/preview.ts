/**
 * A certificate's PNG preview, rendered the first time something asks for it (the verification
 * page, generateCertificate's pngUrl) instead of with every certificate: most certificates are
 * mailed, bundled and verified as PDFs and never shown as an image, and the preview was two
 * thirds of the issuing path's CPU.
 *
 * The preview is rendered from what the PDF itself carries (`certificate.json`: the template's
 * placeholders and what verification needs), with the template at the version the PDF was
 * rendered with; when that version is gone (a Storage template uploaded again since), there is
 * no preview rather than one that differs from the PDF. It is stored at the certificate's
 * `pngPath` with the same metadata as the PDF (sha256 of its own bytes) and the download token
 * chosen at issue (`pngToken`), so that renders by two instances store the same object. Within
 * an instance, concurrent first requests share one render.
 */
import { randomUUID } from 'node:crypto';
import type { Renderer } from '../render/index.js';
import { DATA_ATTACHMENT_NAME } from '../render/index.js';
import { embeddedFiles } from '../render/pdf-attachments.js';
import { sha256Hex } from '../shared/hash.js';
import { downloadIfExists, type ObjectStore } from '../shared/object-store.js';
import { speakerIdOfCertificatePath } from '../shared/paths.js';
import { withRetries } from '../shared/retry.js';
import { CACHE_CONTROL, fileMetadata } from './issue-certificate.js';
import type { TemplateStore } from './template-store.js';

/** What a preview is made from: the certificate's record (speaker) or registry entry. */
export interface PreviewSource {
  certificateId: string;
  eventId: string;
  pdfPath?: string;
  pngPath?: string;
  pngToken?: string;
  templateId: string;
  templateVersion?: string;
  /** Revoked: its old download links are withdrawn, so a new render gets a token nobody has. */
  revoked?: boolean;
}

export interface PreviewDeps {
  store: ObjectStore;
  templates: TemplateStore;
  renderer: () => Promise<Renderer>;
  pngWidth: number;
}

const inFlight = new Map<string, Promise<Uint8Array | undefined>>();

/** The stored preview, or one rendered and stored now; undefined when the certificate has none. */
export async function certificatePreview(deps: PreviewDeps, source: PreviewSource): Promise<Uint8Array | undefined> {
  const { pngPath, pdfPath } = source;
  if (!pngPath || !pdfPath) return undefined;
  const stored = await readIfExists(deps.store, pngPath);
  if (stored) return stored;
  return renderOnce(deps, source, pngPath, pdfPath);
}

/** True once the preview is stored (rendered now if it was not): for handing out its download URL. */
export async function ensurePreview(deps: PreviewDeps, source: PreviewSource): Promise<boolean> {
  const { pngPath, pdfPath } = source;
  if (!pngPath || !pdfPath) return false;
  if (await withRetries(() => deps.store.generation(pngPath), { what: `reading ${pngPath}` })) return true;
  return (await renderOnce(deps, source, pngPath, pdfPath)) !== undefined;
}

function renderOnce(
  deps: PreviewDeps,
  source: PreviewSource,
  pngPath: string,
  pdfPath: string,
): Promise<Uint8Array | undefined> {
  let render = inFlight.get(pngPath);
  if (!render) {
    render = renderAndStore(deps, source, pngPath, pdfPath).finally(() => inFlight.delete(pngPath));
    inFlight.set(pngPath, render);
  }
  return render;
}

async function renderAndStore(
  deps: PreviewDeps,
  source: PreviewSource,
  pngPath: string,
  pdfPath: string,
): Promise<Uint8Array | undefined> {
  const pdf = await readIfExists(deps.store, pdfPath);
  if (!pdf) return undefined;
  const data = (await embeddedFiles(pdf)).get(DATA_ATTACHMENT_NAME);
  if (!data) return undefined;
  const renderer = await deps.renderer();
  const png = await withRetries(
    () =>
      deps.templates.use(source.templateId, async (resolved) => {
        if (source.templateVersion && resolved.version !== source.templateVersion) return undefined;
        const result = await renderer.renderCertificate(
          resolved.template,
          JSON.parse(new TextDecoder().decode(data.bytes)),
          {
            png: true,
            pngWidth: deps.pngWidth,
            attachData: false,
          },
        );
        return result.png;
      }),
    { what: 'loading the template' },
  );
  if (!png) return undefined;
  await withRetries(
    () =>
      deps.store.upload(pngPath, png, {
        contentType: 'image/png',
        cacheControl: CACHE_CONTROL,
        contentDisposition: `inline; filename="certificate-${source.certificateId}.png"`,
        metadata: {
          ...fileMetadata(source.certificateId, source.eventId, speakerIdOfCertificatePath(pngPath), source),
          sha256: sha256Hex(png),
          firebaseStorageDownloadTokens: !source.revoked && source.pngToken ? source.pngToken : randomUUID(),
        },
      }),
    { what: `uploading ${pngPath}` },
  );
  return png;
}

function readIfExists(store: ObjectStore, path: string): Promise<Uint8Array | undefined> {
  return withRetries(() => downloadIfExists(store, path), { what: `reading ${path}` });
}

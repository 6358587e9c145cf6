/**
 * PNG preview of the core's text-as-paths SVG with @resvg/resvg-wasm.
 * No fonts are loaded: all text is already outlined by the core.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Resvg, initWasm } from '@resvg/resvg-wasm';
import { CertforgeError } from './errors.js';

export const DEFAULT_PNG_WIDTH = 1200;

const require = createRequire(import.meta.url);

let initialized: Promise<void> | undefined;
let ready = false;

/** Initializes resvg-wasm once per process (a second initWasm() throws 'Already initialized'). */
export function initPreview(): Promise<void> {
  initialized ??= (async () => {
    const wasm = await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm'));
    try {
      await initWasm(wasm);
    } catch (error) {
      // Another module of this process initialized the shared resvg-wasm singleton first.
      if (!(error instanceof Error && error.message.startsWith('Already initialized'))) throw error;
    }
    ready = true;
  })().catch((error: unknown) => {
    initialized = undefined;
    throw new CertforgeError('NOT_INITIALIZED', `Cannot initialize resvg-wasm: ${(error as Error).message}`, {}, { cause: error });
  });
  return initialized;
}

/** Rasterizes `svg` to a PNG `widthPx` wide on a white background. Call initPreview() first. */
export function renderPng(svg: string, widthPx = DEFAULT_PNG_WIDTH): Uint8Array {
  if (!ready) throw new CertforgeError('NOT_INITIALIZED', 'renderPng() called before initPreview() resolved');
  let resvg: InstanceType<typeof Resvg> | undefined;
  let image: ReturnType<InstanceType<typeof Resvg>['render']> | undefined;
  try {
    resvg = new Resvg(svg, {
      fitTo: { mode: 'width', value: widthPx },
      font: { loadSystemFonts: false },
      background: 'white',
    });
    image = resvg.render();
    return image.asPng();
  } catch (error) {
    if (error instanceof CertforgeError) throw error;
    throw new CertforgeError('RENDER_FAILED', `PNG preview failed: ${String(error)}`, {}, { cause: error });
  } finally {
    image?.free();
    resvg?.free();
  }
}

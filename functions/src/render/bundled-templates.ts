/**
 * The templates that ship with certforge (functions/templates/*.svg): their ids, reserved in
 * the template store, and their bytes. Compiled into the renderer snapshot (snapshot.ts).
 */
import { readFileSync } from 'node:fs';

export const BUNDLED_TEMPLATE_IDS = ['classic', 'modern'] as const;
const BUNDLED_DIR = new URL('../../templates/', import.meta.url);

/** A bundled template's SVG bytes (`templateId` one of BUNDLED_TEMPLATE_IDS). */
export function bundledTemplateSvg(templateId: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`${templateId}.svg`, BUNDLED_DIR)));
}

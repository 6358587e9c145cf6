/**
 * Attendees from the exports organizers have, on the emulators: a Zoom participant report
 * uploaded to imports/{eventId}/attendees/ becomes one participant per person (rejoins merged,
 * minutes summed), the minutes rule decides who earns the certificate, and the same file again
 * changes nothing. An XLSX list of volunteers in Spanish, built as Excel lays it out, is read too.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Fflate from '../../functions/node_modules/fflate/lib/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../functions/src/import/import-report.js';
import { admin, createEvent, eventually, waitForCertificate } from '../helpers/emulator.js';
import { rootPath } from '../helpers/fixtures.js';

// fflate is the functions' dependency (the XLSX reader unpacks with it); the test builds workbooks with it.
const { zipSync, strToU8 } = createRequire(new URL('../../functions/package.json', import.meta.url))(
  'fflate',
) as typeof Fflate;

beforeAll(() => {
  admin();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const participants = (eventId: string) => admin().db.collection('events').doc(eventId).collection('participants');

async function upload(path: string, bytes: Uint8Array, contentType: string): Promise<void> {
  await admin().importBucket.file(path).save(Buffer.from(bytes), { contentType, resumable: false });
}

async function report(eventId: string, id: string): Promise<ImportReport> {
  const ref = admin().db.collection('events').doc(eventId).collection('imports').doc(id);
  return eventually(
    async () => (await ref.get()).data() as ImportReport | undefined,
    (value) => value !== undefined && value.status !== 'running',
    60_000,
  ) as Promise<ImportReport>;
}

/** A minimal workbook as Excel writes it: shared strings, one sheet, inline row numbers. */
function workbook(rows: string[][]): Uint8Array {
  const strings = [...new Set(rows.flat())];
  const cell = (value: string, r: number, c: number) =>
    `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="s"><v>${strings.indexOf(value)}</v></c>`;
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows
    .map((row, r) => `<row r="${r + 1}">${row.map((value, c) => cell(value, r, c)).join('')}</row>`)
    .join('')}</sheetData></worksheet>`;
  const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    'xl/workbook.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
    'xl/sharedStrings.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings
        .map((value) => `<si><t>${escape(value)}</t></si>`)
        .join('')}</sst>`,
    ),
  });
}

describe('attendee imports', () => {
  it('a Zoom participant report: one attendee per person, minutes summed over rejoins, certificates for who stayed 60 minutes', async () => {
    const eventId = await createEvent({ roles: { attendee: { eligibility: { minutes: 60 } } } });
    const bytes = new Uint8Array(readFileSync(rootPath('test/fixtures/exports/zoom-participants.csv')));
    await upload(`imports/${eventId}/attendees/zoom-report.csv`, bytes, 'text/csv');
    const done = await report(eventId, `attendees-${sha256(bytes)}`);
    expect(done).toMatchObject({ status: 'done', role: 'attendee', preset: 'zoom' });

    const people = (await participants(eventId).get()).docs.map((doc) => doc.data());
    const ada = people.find((p) => p.name === 'Ada Lovelace')!;
    // Three sessions, two of them overlapping (a second device): 43 + 35 overlapping + 35, counted once.
    expect(ada.role).toBe('attendee');
    expect(ada.attendance.minutes).toBeGreaterThanOrEqual(60);
    expect(people.filter((p) => p.name === 'Ada Lovelace')).toHaveLength(1);
    const taro = people.find((p) => p.name === '山田太郎')!;
    expect(taro.attendance.minutes).toBe(20);

    const adaRef = (await participants(eventId).where('name', '==', 'Ada Lovelace').get()).docs[0]!.ref;
    expect((await waitForCertificate(adaRef)).status).toBe('ready');
    const taroRef = (await participants(eventId).where('name', '==', '山田太郎').get()).docs[0]!.ref;
    const eligibility = await eventually(
      async () => (await taroRef.get()).get('eligibility'),
      (value) => value !== undefined,
    );
    expect(eligibility).toMatchObject({ eligible: false, code: 'TOO_FEW_MINUTES', evidence: { minutes: 20 } });

    // The same report again, under another name: the same import, nothing written.
    await upload(`imports/${eventId}/attendees/zoom-report-copy.csv`, bytes, 'text/csv');
    await eventually(
      async () => {
        const [metadata] = await admin()
          .importBucket.file(`imports/${eventId}/attendees/zoom-report-copy.csv`)
          .getMetadata();
        return (metadata.metadata ?? {}) as Record<string, string>;
      },
      (custom) => custom.certforgeImportStatus === 'duplicate',
    );
  });

  it('an XLSX of volunteers with Spanish headers (Nombre, Apellidos, Correo electrónico) issues their certificates', async () => {
    const eventId = await createEvent({ locale: 'es' });
    const bytes = workbook([
      ['Nombre', 'Apellidos', 'Correo electrónico'],
      ['María José', 'García Pérez', 'mj@example.es'],
      ['Jorge', 'Núñez', 'jorge@example.es'],
    ]);
    await upload(
      `imports/${eventId}/volunteers/voluntarios.xlsx`,
      bytes,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const done = await report(eventId, `volunteers-${sha256(bytes)}`);
    expect(done).toMatchObject({ status: 'done', format: 'xlsx', created: 2, rejected: 0 });
    const maria = (await participants(eventId).where('name', '==', 'María José García Pérez').get()).docs[0]!;
    expect(maria.get('role')).toBe('volunteer');
    expect((await waitForCertificate(maria.ref)).status).toBe('ready');
  });
});

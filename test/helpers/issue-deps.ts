/**
 * The issuing path's dependencies for tests that call issueCertificate in their own process
 * against the emulators: the real renderer, template store, credential service and the given
 * object store. Participants live under `faultTests/`, where no creation trigger fires, so
 * nothing races the test.
 */
import { randomUUID } from 'node:crypto';
import type { IssueDeps, IssueSettings } from '../../functions/src/issue/issue-certificate.js';
import { TemplateStore } from '../../functions/src/issue/template-store.js';
import { initRenderer } from '../../functions/src/render/index.js';
import { generateIssuerKey } from '../../functions/src/credential/issuer-key.js';
import { CredentialService } from '../../functions/src/credential/service.js';
import type { ObjectStore } from '../../functions/src/shared/object-store.js';
import { admin } from './emulator.js';

type Firestore = ReturnType<typeof admin>['db'];

/** Participants of these tests: the speakers' contract, in a collection without a trigger. */
export const participantRef = (db: Firestore, eventId: string, id: string) =>
  db.collection('faultTests').doc(eventId).collection('participants').doc(id);

export const participant = (eventId: string, id: string) => participantRef(admin().db, eventId, id);

let credentials: Promise<CredentialService> | undefined;

/** One credential service per test file, with a key of its own (a key id names one key for ever). */
function testCredentials(): Promise<CredentialService> {
  credentials ??= generateIssuerKey(`in-process-${randomUUID().slice(0, 8)}`).then(
    (key) =>
      new CredentialService(admin().db, () => ({
        verifyBaseUrl: 'https://verify.example/c',
        issuerName: 'In-process tests',
        issuerUrl: '',
        key: () => key,
      })),
  );
  return credentials;
}

export async function issueTestDeps(store: ObjectStore, settings: Partial<IssueSettings> = {}): Promise<IssueDeps> {
  return {
    db: admin().db,
    store,
    templates: new TemplateStore(store, () => initRenderer()),
    renderer: () => initRenderer(),
    credentials: await testCredentials(),
    settings: {
      defaultTemplateId: 'classic',
      pngWidth: 600,
      verifyBaseUrl: 'https://verify.example/c',
      leaseMs: 60_000,
      limits: { mailsPerEventPerDay: 5000, reissuesPerEventPerDay: 2000 },
      ...settings,
    },
    participantRef,
  };
}

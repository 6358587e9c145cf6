/**
 * firestore.rules against the official Firestore emulator (@firebase/rules-unit-testing).
 *
 * Skipped, with a loud banner, unless CERTFORGE_EMULATOR_MODE=official (see rules-env.ts).
 *
 * A project id of its own: clearFirestore() before each test wipes only this namespace, and
 * the functions emulator (whose triggers listen on the runner's project) never sees these
 * writes. The emulator runs in single-project mode with errors off, so another demo- id is
 * accepted (it logs a warning).
 */
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
  type TokenOptions,
} from '@firebase/rules-unit-testing';
import {
  collection,
  collectionGroup,
  deleteDoc,
  deleteField,
  doc,
  getDoc,
  getDocs,
  query,
  setDoc,
  updateDoc,
  where,
  type Firestore,
} from 'firebase/firestore';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { announceNotRun, emulatorHost, RULES_CAN_RUN, rulesSource } from './rules-env.js';

const PROJECT_ID = 'demo-certforge-firestore-rules';

announceNotRun('test/rules/firestore.rules.test.ts (firestore.rules)');

// ---- Users ------------------------------------------------------------------------------

const ORG_A = 'org-a'; // organizer claim, listed on event A
const ORG_B = 'org-b'; // organizer claim, listed on event B
const CREATOR = 'creator'; // organizer claim, on no event yet
const ADMIN = 'admin'; // certforgeAdmin claim, on no event
const STRANGER = 'stranger'; // signed in, no claim, on no event
const ADA = 'ada'; // the speaker of event A's speaker `ada`

const ORGANIZER: TokenOptions = { organizer: true };
const ADMIN_CLAIM: TokenOptions = { certforgeAdmin: true };
const ADA_EMAIL = 'Ada.Lovelace@Example.com';

// ---- Data (seeded with the rules disabled before each test) ------------------------------

const EVENT_A = 'event-a';
const EVENT_B = 'event-b';

const eventA = {
  name: 'Rust Conf A',
  date: '2026-03-12',
  place: 'Warsaw',
  templateId: 'classic',
  organizerUids: [ORG_A],
  signatories: [{ name: 'Grace Hopper', role: 'Chair' }],
  locale: 'en',
  issuance: { state: 'idle' },
};
const eventB = { name: 'Rust Conf B', date: '2026-04-01', organizerUids: [ORG_B] };

const certificate = {
  status: 'ready',
  certificateId: 'c-ada',
  pdfPath: `certificates/${EVENT_A}/ada/c-ada.pdf`,
  pngPath: `certificates/${EVENT_A}/ada/c-ada.png`,
  sha256: '0'.repeat(64),
};
const speakerAda = {
  name: 'Ada Lovelace',
  // Stored with other case and spaces: the rules compare trimmed, lower-cased emails.
  email: `  ${ADA_EMAIL.toUpperCase()} `,
  talk: { title: 'Analytical engines' },
  company: 'Babbage & Co',
  certificate,
};
const speakerNoEmail = { name: 'Anonymous Speaker' };
const speakerGrace = { name: 'Grace Hopper', email: 'grace@example.com' };

let env: RulesTestEnvironment;

/** The modular SDK takes the compat instance the test context returns (it unwraps it). */
function db(context: RulesTestContext): Firestore {
  return context.firestore() as unknown as Firestore;
}

/** One client per user for the whole file (each context is a Firebase app of its own). */
function users(testEnv: RulesTestEnvironment) {
  const signIn = (uid: string, token?: TokenOptions) => db(testEnv.authenticatedContext(uid, token));
  return {
    orgA: signIn(ORG_A, ORGANIZER),
    /** ORG_A without any claim: still an organizer of event A (listed), but not an event creator. */
    orgANoClaim: signIn(ORG_A),
    orgB: signIn(ORG_B, ORGANIZER),
    creator: signIn(CREATOR, ORGANIZER),
    admin: signIn(ADMIN, ADMIN_CLAIM),
    stranger: signIn(STRANGER),
    unauthenticated: db(testEnv.unauthenticatedContext()),
    /** Ada signed in with her verified email (other case than stored). */
    ada: signIn(ADA, { email: ADA_EMAIL.toLowerCase(), email_verified: true }),
    adaUnverified: signIn(ADA, { email: ADA_EMAIL, email_verified: false }),
    adaNoVerifiedClaim: signIn(ADA, { email: ADA_EMAIL }),
    /** A verified user whose email is nobody's in event A. */
    grace: signIn('grace', { email: 'grace@example.com', email_verified: true }),
    /** Claims that look right but are not the boolean true. */
    fakeAdmin: signIn('fake', { certforgeAdmin: 'true', organizer: 1 }),
  };
}

let user: ReturnType<typeof users>;

const eventPath = (eventId: string) => `events/${eventId}`;
const speakersPath = (eventId: string) => `events/${eventId}/speakers`;
const speakerPath = (eventId: string, speakerId: string) => `${speakersPath(eventId)}/${speakerId}`;

describe.skipIf(!RULES_CAN_RUN)('firestore.rules', () => {
  beforeAll(async () => {
    env = await initializeTestEnvironment({
      projectId: PROJECT_ID,
      firestore: { rules: rulesSource('firestore.rules'), ...emulatorHost('FIRESTORE_EMULATOR_HOST') },
    });
    user = users(env);
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  beforeEach(async () => {
    await env.clearFirestore();
    await env.withSecurityRulesDisabled(async (context) => {
      const admin = db(context);
      await setDoc(doc(admin, eventPath(EVENT_A)), eventA);
      await setDoc(doc(admin, eventPath(EVENT_B)), eventB);
      await setDoc(doc(admin, speakerPath(EVENT_A, 'ada')), speakerAda);
      await setDoc(doc(admin, speakerPath(EVENT_A, 'no-email')), speakerNoEmail);
      await setDoc(doc(admin, speakerPath(EVENT_B, 'grace')), speakerGrace);
      await setDoc(doc(admin, 'mail/m1'), { to: ADA_EMAIL, message: { subject: 'Your certificate' } });
    });
  });

  // ---- events: read -----------------------------------------------------------------------

  describe('events: read', () => {
    it('an organizer of the event gets it', async () => {
      const snapshot = await assertSucceeds(getDoc(doc(user.orgA, eventPath(EVENT_A))));
      expect(snapshot.get('name')).toBe(eventA.name);
    });

    it('a listed organizer without any claim still gets it', async () => {
      await assertSucceeds(getDoc(doc(user.orgANoClaim, eventPath(EVENT_A))));
    });

    it('an admin gets any event', async () => {
      await assertSucceeds(getDoc(doc(user.admin, eventPath(EVENT_A))));
      await assertSucceeds(getDoc(doc(user.admin, eventPath(EVENT_B))));
    });

    it('an organizer of event B does not get event A', async () => {
      await assertFails(getDoc(doc(user.orgB, eventPath(EVENT_A))));
    });

    it('signed-in strangers, speakers, fake claims and the unauthenticated do not get it', async () => {
      await assertFails(getDoc(doc(user.stranger, eventPath(EVENT_A))));
      await assertFails(getDoc(doc(user.creator, eventPath(EVENT_A))));
      await assertFails(getDoc(doc(user.ada, eventPath(EVENT_A))));
      await assertFails(getDoc(doc(user.fakeAdmin, eventPath(EVENT_A))));
      await assertFails(getDoc(doc(user.unauthenticated, eventPath(EVENT_A))));
    });

    it("an organizer lists exactly their events with where('organizerUids', 'array-contains', uid)", async () => {
      const mine = query(collection(user.orgA, 'events'), where('organizerUids', 'array-contains', ORG_A));
      const snapshot = await assertSucceeds(getDocs(mine));
      expect(snapshot.docs.map((d) => d.id)).toEqual([EVENT_A]);
    });

    it('an organizer may not list all events, nor the events of another uid', async () => {
      await assertFails(getDocs(collection(user.orgA, 'events')));
      await assertFails(
        getDocs(query(collection(user.orgA, 'events'), where('organizerUids', 'array-contains', ORG_B))),
      );
      await assertFails(getDocs(collection(user.unauthenticated, 'events')));
    });

    it('an admin lists all events', async () => {
      const snapshot = await assertSucceeds(getDocs(collection(user.admin, 'events')));
      expect(snapshot.size).toBe(2);
    });
  });

  // ---- events: create ---------------------------------------------------------------------

  describe('events: create', () => {
    const valid = { name: 'New event', date: '2026-05-05', organizerUids: [CREATOR] };

    it('a user with the organizer claim creates an event listing their own uid', async () => {
      await assertSucceeds(setDoc(doc(user.creator, 'events/new'), valid));
      await assertSucceeds(
        setDoc(doc(user.creator, 'events/shared'), {
          ...valid,
          place: 'Online',
          templateId: 'modern',
          locale: 'pl',
          signatories: [{ name: 'X', role: 'Y' }],
          organizerUids: [ORG_A, CREATOR],
        }),
      );
    });

    it('the id of a deleted event (tombstoned by onEventDeleted) cannot be created again, not even by an admin', async () => {
      await env.withSecurityRulesDisabled(async (context) => {
        await setDoc(doc(db(context), 'eventTombstones/gone'), { eventId: 'gone', deletedAt: new Date() });
      });
      await assertFails(setDoc(doc(user.creator, 'events/gone'), valid));
      await assertFails(setDoc(doc(user.admin, 'events/gone'), { ...valid, organizerUids: [ADMIN] }));
      await assertFails(getDoc(doc(user.creator, 'eventTombstones/gone')));
    });

    it('an admin creates an event listing their own uid', async () => {
      await assertSucceeds(setDoc(doc(user.admin, 'events/new'), { ...valid, organizerUids: [ADMIN] }));
    });

    it('the caller must be in organizerUids (admins too)', async () => {
      await assertFails(setDoc(doc(user.creator, 'events/new'), { ...valid, organizerUids: [ORG_A] }));
      await assertFails(setDoc(doc(user.admin, 'events/new'), { ...valid, organizerUids: [ORG_A] }));
    });

    it('organizerUids must be a non-empty list', async () => {
      await assertFails(setDoc(doc(user.creator, 'events/new'), { ...valid, organizerUids: [] }));
      await assertFails(setDoc(doc(user.creator, 'events/new'), { ...valid, organizerUids: CREATOR }));
      await assertFails(setDoc(doc(user.creator, 'events/new'), { ...valid, organizerUids: { [CREATOR]: true } }));
      const { organizerUids: _omitted, ...withoutOrganizers } = valid;
      await assertFails(setDoc(doc(user.creator, 'events/new'), withoutOrganizers));
    });

    it('name must be a non-empty string', async () => {
      const { name: _omitted, ...withoutName } = valid;
      await assertFails(setDoc(doc(user.creator, 'events/new'), withoutName));
      await assertFails(setDoc(doc(user.creator, 'events/new'), { ...valid, name: '' }));
      await assertFails(setDoc(doc(user.creator, 'events/new'), { ...valid, name: '   ' }));
      await assertFails(setDoc(doc(user.creator, 'events/new'), { ...valid, name: 42 }));
    });

    it('the optional fields have their types', async () => {
      await assertFails(setDoc(doc(user.creator, 'events/new'), { ...valid, date: 20260505 }));
      await assertFails(setDoc(doc(user.creator, 'events/new'), { ...valid, templateId: ['classic'] }));
      await assertFails(setDoc(doc(user.creator, 'events/new'), { ...valid, signatories: 'X, Y' }));
    });

    it('a client may not write issuance (functions only)', async () => {
      await assertFails(setDoc(doc(user.creator, 'events/new'), { ...valid, issuance: { state: 'done' } }));
      await assertFails(setDoc(doc(user.admin, 'events/new'), { ...valid, organizerUids: [ADMIN], issuance: {} }));
    });

    it('no claim, a fake claim or no sign-in: no event', async () => {
      await assertFails(setDoc(doc(user.stranger, 'events/new'), { ...valid, organizerUids: [STRANGER] }));
      // Listed on event A, but creating events needs the claim.
      await assertFails(setDoc(doc(user.orgANoClaim, 'events/new'), { ...valid, organizerUids: [ORG_A] }));
      await assertFails(setDoc(doc(user.fakeAdmin, 'events/new'), { ...valid, organizerUids: ['fake'] }));
      await assertFails(setDoc(doc(user.unauthenticated, 'events/new'), valid));
    });
  });

  // ---- events: update ---------------------------------------------------------------------

  describe('events: update', () => {
    it('an organizer of the event updates it, issuance untouched', async () => {
      await assertSucceeds(updateDoc(doc(user.orgA, eventPath(EVENT_A)), { name: 'Renamed', place: 'Kraków' }));
      await assertSucceeds(setDoc(doc(user.orgA, eventPath(EVENT_A)), { templateId: 'modern' }, { merge: true }));
    });

    it('an organizer adds a co-organizer, or leaves while others stay', async () => {
      await assertSucceeds(updateDoc(doc(user.orgA, eventPath(EVENT_A)), { organizerUids: [ORG_A, ORG_B] }));
      await assertSucceeds(updateDoc(doc(user.orgA, eventPath(EVENT_A)), { organizerUids: [ORG_B] }));
    });

    it('a listed organizer without claims updates it too', async () => {
      await assertSucceeds(updateDoc(doc(user.orgANoClaim, eventPath(EVENT_A)), { date: '2026-03-13' }));
    });

    it('an admin updates any event', async () => {
      await assertSucceeds(updateDoc(doc(user.admin, eventPath(EVENT_B)), { name: 'By admin' }));
    });

    it('an organizer of another event, strangers and the unauthenticated do not', async () => {
      await assertFails(updateDoc(doc(user.orgB, eventPath(EVENT_A)), { name: 'Hijacked' }));
      await assertFails(updateDoc(doc(user.orgB, eventPath(EVENT_A)), { organizerUids: [ORG_A, ORG_B] }));
      await assertFails(updateDoc(doc(user.stranger, eventPath(EVENT_A)), { name: 'x' }));
      await assertFails(updateDoc(doc(user.ada, eventPath(EVENT_A)), { name: 'x' }));
      await assertFails(updateDoc(doc(user.fakeAdmin, eventPath(EVENT_A)), { name: 'x' }));
      await assertFails(updateDoc(doc(user.unauthenticated, eventPath(EVENT_A)), { name: 'x' }));
    });

    it('issuance cannot be changed, removed or dropped by a client, admins included', async () => {
      await assertFails(updateDoc(doc(user.orgA, eventPath(EVENT_A)), { issuance: { state: 'done' } }));
      await assertFails(updateDoc(doc(user.orgA, eventPath(EVENT_A)), { 'issuance.state': 'done' }));
      await assertFails(updateDoc(doc(user.orgA, eventPath(EVENT_A)), { issuance: deleteField() }));
      const { issuance: _dropped, ...withoutIssuance } = eventA;
      await assertFails(setDoc(doc(user.orgA, eventPath(EVENT_A)), withoutIssuance));
      await assertFails(updateDoc(doc(user.admin, eventPath(EVENT_A)), { 'issuance.state': 'done' }));
      // Adding one where there was none is a change too.
      await assertFails(updateDoc(doc(user.orgB, eventPath(EVENT_B)), { issuance: { state: 'queued' } }));
    });

    it('rewriting the whole event with the same issuance is not a change of it', async () => {
      await assertSucceeds(setDoc(doc(user.orgA, eventPath(EVENT_A)), { ...eventA, name: 'Same issuance' }));
    });

    it('organizerUids stays a non-empty list, name a non-empty string', async () => {
      await assertFails(updateDoc(doc(user.orgA, eventPath(EVENT_A)), { organizerUids: [] }));
      await assertFails(updateDoc(doc(user.orgA, eventPath(EVENT_A)), { organizerUids: deleteField() }));
      await assertFails(updateDoc(doc(user.orgA, eventPath(EVENT_A)), { organizerUids: ORG_A }));
      await assertFails(updateDoc(doc(user.orgA, eventPath(EVENT_A)), { name: '' }));
      await assertFails(updateDoc(doc(user.orgA, eventPath(EVENT_A)), { name: deleteField() }));
    });
  });

  // ---- events: delete ---------------------------------------------------------------------

  describe('events: delete', () => {
    // Only the deleteEvent callable deletes events (tombstone and delete in one transaction): a
    // client's delete would leave the id free to be created again before onEventDeleted runs.
    it('not even an organizer or an admin deletes an event document directly', async () => {
      await assertFails(deleteDoc(doc(user.orgA, eventPath(EVENT_A))));
      await assertFails(deleteDoc(doc(user.admin, eventPath(EVENT_B))));
    });

    it('nobody else does', async () => {
      await assertFails(deleteDoc(doc(user.orgB, eventPath(EVENT_A))));
      await assertFails(deleteDoc(doc(user.creator, eventPath(EVENT_A))));
      await assertFails(deleteDoc(doc(user.stranger, eventPath(EVENT_A))));
      await assertFails(deleteDoc(doc(user.ada, eventPath(EVENT_A))));
      await assertFails(deleteDoc(doc(user.fakeAdmin, eventPath(EVENT_A))));
      await assertFails(deleteDoc(doc(user.unauthenticated, eventPath(EVENT_A))));
    });
  });

  // ---- speakers: read ---------------------------------------------------------------------

  describe('speakers: read', () => {
    it('organizers of the event (claim or not) and admins get a speaker, certificate included', async () => {
      const snapshot = await assertSucceeds(getDoc(doc(user.orgA, speakerPath(EVENT_A, 'ada'))));
      expect(snapshot.get('certificate.status')).toBe('ready');
      await assertSucceeds(getDoc(doc(user.orgANoClaim, speakerPath(EVENT_A, 'ada'))));
      await assertSucceeds(getDoc(doc(user.admin, speakerPath(EVENT_A, 'ada'))));
      await assertSucceeds(getDoc(doc(user.admin, speakerPath(EVENT_B, 'grace'))));
    });

    it('an organizer gets a speaker id that does not exist (yet)', async () => {
      const snapshot = await assertSucceeds(getDoc(doc(user.orgA, speakerPath(EVENT_A, 'nobody'))));
      expect(snapshot.exists()).toBe(false);
    });

    it('an organizer of event B does not get the speakers of event A', async () => {
      await assertFails(getDoc(doc(user.orgB, speakerPath(EVENT_A, 'ada'))));
      await assertFails(getDoc(doc(user.orgB, speakerPath(EVENT_A, 'no-email'))));
    });

    it('the speaker gets their own document with a verified, matching email (trimmed, any case)', async () => {
      const snapshot = await assertSucceeds(getDoc(doc(user.ada, speakerPath(EVENT_A, 'ada'))));
      expect(snapshot.get('certificate.pdfPath')).toBe(certificate.pdfPath);
    });

    it('an unverified email, no email_verified claim, or another email: no speaker access', async () => {
      await assertFails(getDoc(doc(user.adaUnverified, speakerPath(EVENT_A, 'ada'))));
      await assertFails(getDoc(doc(user.adaNoVerifiedClaim, speakerPath(EVENT_A, 'ada'))));
      await assertFails(getDoc(doc(user.grace, speakerPath(EVENT_A, 'ada'))));
    });

    it('a speaker gets no other speaker, and a speaker without email is nobody', async () => {
      await assertFails(getDoc(doc(user.ada, speakerPath(EVENT_A, 'no-email'))));
      await assertFails(getDoc(doc(user.ada, speakerPath(EVENT_B, 'grace'))));
      await assertFails(getDoc(doc(user.ada, speakerPath(EVENT_A, 'nobody'))));
    });

    it('strangers and the unauthenticated get no speaker', async () => {
      await assertFails(getDoc(doc(user.stranger, speakerPath(EVENT_A, 'ada'))));
      await assertFails(getDoc(doc(user.fakeAdmin, speakerPath(EVENT_A, 'ada'))));
      await assertFails(getDoc(doc(user.unauthenticated, speakerPath(EVENT_A, 'ada'))));
    });

    it('organizers and admins list the speakers of the event', async () => {
      const snapshot = await assertSucceeds(getDocs(collection(user.orgA, speakersPath(EVENT_A))));
      expect(snapshot.docs.map((d) => d.id).sort()).toEqual(['ada', 'no-email']);
      await assertSucceeds(getDocs(collection(user.admin, speakersPath(EVENT_B))));
    });

    it('others do not list them, speakers included (even filtered on their own email)', async () => {
      await assertFails(getDocs(collection(user.orgB, speakersPath(EVENT_A))));
      await assertFails(getDocs(collection(user.stranger, speakersPath(EVENT_A))));
      await assertFails(getDocs(collection(user.unauthenticated, speakersPath(EVENT_A))));
      await assertFails(
        getDocs(query(collection(user.ada, speakersPath(EVENT_A)), where('email', '==', speakerAda.email))),
      );
    });

    it('there is no collection-group access to speakers', async () => {
      await assertFails(getDocs(query(collectionGroup(user.ada, 'speakers'), where('email', '==', speakerAda.email))));
      await assertFails(getDocs(collectionGroup(user.orgA, 'speakers')));
      await assertFails(getDocs(collectionGroup(user.admin, 'speakers')));
    });
  });

  // ---- speakers: create -------------------------------------------------------------------

  describe('speakers: create', () => {
    const valid = {
      name: 'Barbara Liskov',
      email: 'barbara@example.com',
      talk: { title: 'Substitution' },
      affiliation: 'MIT',
      extra: { anything: [1, 2, 3] },
    };

    it('an organizer of the event creates a speaker (extra fields allowed)', async () => {
      await assertSucceeds(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'barbara')), valid));
      await assertSucceeds(setDoc(doc(user.orgANoClaim, speakerPath(EVENT_A, 'minimal')), { name: 'M' }));
    });

    it('an admin creates a speaker in any event', async () => {
      await assertSucceeds(setDoc(doc(user.admin, speakerPath(EVENT_B, 'barbara')), valid));
    });

    it('an organizer of another event, speakers, strangers and the unauthenticated do not', async () => {
      await assertFails(setDoc(doc(user.orgB, speakerPath(EVENT_A, 'barbara')), valid));
      await assertFails(setDoc(doc(user.creator, speakerPath(EVENT_A, 'barbara')), valid));
      await assertFails(setDoc(doc(user.ada, speakerPath(EVENT_A, 'barbara')), valid));
      await assertFails(setDoc(doc(user.stranger, speakerPath(EVENT_A, 'barbara')), valid));
      await assertFails(setDoc(doc(user.fakeAdmin, speakerPath(EVENT_A, 'barbara')), valid));
      await assertFails(setDoc(doc(user.unauthenticated, speakerPath(EVENT_A, 'barbara')), valid));
    });

    it('not in an event that does not exist (except for admins)', async () => {
      await assertFails(setDoc(doc(user.orgA, speakerPath('no-such-event', 'barbara')), valid));
    });

    it('a client may not create the certificate field, admins included', async () => {
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'barbara')), { ...valid, certificate }));
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'barbara')), { ...valid, certificate: null }));
      await assertFails(setDoc(doc(user.admin, speakerPath(EVENT_A, 'barbara')), { ...valid, certificate }));
    });

    it('name: a string of 1..300 characters, not blank', async () => {
      await assertSucceeds(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'n300')), { name: 'n'.repeat(300) }));
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'n301')), { name: 'n'.repeat(301) }));
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'empty')), { name: '' }));
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'blank')), { name: '   ' }));
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'number')), { name: 42 }));
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'none')), { email: 'x@example.com' }));
    });

    it('email: optional, a string of at most 320 characters', async () => {
      const email320 = `${'e'.repeat(308)}@example.com`;
      expect(email320).toHaveLength(320);
      await assertSucceeds(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'e320')), { name: 'E', email: email320 }));
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'e321')), { name: 'E', email: `e${email320}` }));
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'enum')), { name: 'E', email: 42 }));
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'enull')), { name: 'E', email: null }));
    });

    it('talk: a map whose title, if any, is a string', async () => {
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 't1')), { name: 'T', talk: 'Substitution' }));
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 't2')), { name: 'T', talk: { title: 7 } }));
      await assertSucceeds(setDoc(doc(user.orgA, speakerPath(EVENT_A, 't3')), { name: 'T', talk: { room: 'B' } }));
    });
  });

  // ---- speakers: update -------------------------------------------------------------------

  describe('speakers: update', () => {
    it('an organizer of the event updates the speaker, certificate untouched', async () => {
      await assertSucceeds(updateDoc(doc(user.orgA, speakerPath(EVENT_A, 'ada')), { name: 'Augusta Ada King' }));
      await assertSucceeds(updateDoc(doc(user.orgA, speakerPath(EVENT_A, 'ada')), { 'talk.title': 'Notes' }));
      await assertSucceeds(updateDoc(doc(user.orgA, speakerPath(EVENT_A, 'no-email')), { email: 'a@example.com' }));
      await assertSucceeds(updateDoc(doc(user.orgANoClaim, speakerPath(EVENT_A, 'ada')), { company: 'X' }));
    });

    it('rewriting the whole speaker with the same certificate is not a change of it', async () => {
      await assertSucceeds(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'ada')), { ...speakerAda, name: 'Ada' }));
    });

    it('an admin updates any speaker', async () => {
      await assertSucceeds(updateDoc(doc(user.admin, speakerPath(EVENT_B, 'grace')), { name: 'Rear Admiral Hopper' }));
    });

    it('the certificate field cannot be set, changed or removed by a client, admins included', async () => {
      const ada = speakerPath(EVENT_A, 'ada');
      await assertFails(updateDoc(doc(user.orgA, ada), { 'certificate.status': 'failed' }));
      await assertFails(updateDoc(doc(user.orgA, ada), { certificate: { ...certificate, pdfPath: 'elsewhere.pdf' } }));
      await assertFails(updateDoc(doc(user.orgA, ada), { certificate: deleteField() }));
      const { certificate: _dropped, ...withoutCertificate } = speakerAda;
      await assertFails(setDoc(doc(user.orgA, ada), withoutCertificate));
      await assertFails(updateDoc(doc(user.orgA, speakerPath(EVENT_A, 'no-email')), { certificate }));
      await assertFails(updateDoc(doc(user.admin, ada), { 'certificate.status': 'failed' }));
    });

    it('the updated speaker is still valid', async () => {
      const ada = speakerPath(EVENT_A, 'ada');
      await assertFails(updateDoc(doc(user.orgA, ada), { name: '' }));
      await assertFails(updateDoc(doc(user.orgA, ada), { name: 'n'.repeat(301) }));
      await assertFails(updateDoc(doc(user.orgA, ada), { name: deleteField() }));
      await assertFails(updateDoc(doc(user.orgA, ada), { email: 'e'.repeat(321) }));
      await assertFails(updateDoc(doc(user.orgA, ada), { talk: 'no map' }));
    });

    it('an organizer of another event, the speaker themself, strangers and the unauthenticated do not', async () => {
      const ada = speakerPath(EVENT_A, 'ada');
      await assertFails(updateDoc(doc(user.orgB, ada), { name: 'x' }));
      await assertFails(updateDoc(doc(user.ada, ada), { name: 'Ada (edited by herself)' }));
      await assertFails(updateDoc(doc(user.stranger, ada), { name: 'x' }));
      await assertFails(updateDoc(doc(user.fakeAdmin, ada), { name: 'x' }));
      await assertFails(updateDoc(doc(user.unauthenticated, ada), { name: 'x' }));
    });
  });

  // ---- speakers: delete -------------------------------------------------------------------

  describe('speakers: delete', () => {
    it('an organizer of the event and an admin delete speakers', async () => {
      await assertSucceeds(deleteDoc(doc(user.orgA, speakerPath(EVENT_A, 'ada'))));
      await assertSucceeds(deleteDoc(doc(user.admin, speakerPath(EVENT_B, 'grace'))));
    });

    it('nobody else does', async () => {
      const ada = speakerPath(EVENT_A, 'ada');
      await assertFails(deleteDoc(doc(user.orgB, ada)));
      await assertFails(deleteDoc(doc(user.ada, ada)));
      await assertFails(deleteDoc(doc(user.stranger, ada)));
      await assertFails(deleteDoc(doc(user.fakeAdmin, ada)));
      await assertFails(deleteDoc(doc(user.unauthenticated, ada)));
    });
  });

  // ---- participants, connectors, webhooks, secrets --------------------------------------------

  describe('participants (attendees and other roles), connections, webhooks and secrets', () => {
    const participant = (id: string) => `events/${EVENT_A}/participants/${id}`;

    it('organizers write participants with a role id, never certificate or eligibility', async () => {
      await assertSucceeds(
        setDoc(doc(user.orgA, participant('p1')), { name: 'Ana', role: 'attendee', attendance: { checkedIn: true } }),
      );
      await assertSucceeds(setDoc(doc(user.orgA, participant('p2')), { name: 'Vera', role: 'program-committee' }));
      await assertFails(setDoc(doc(user.orgA, participant('p3')), { name: 'X', role: 'Not A Slug' }));
      await assertFails(setDoc(doc(user.orgA, participant('p4')), { name: 'X', eligibility: { eligible: true } }));
      await assertFails(setDoc(doc(user.orgA, participant('p5')), { name: 'X', certificate: { status: 'ready' } }));
      await assertFails(setDoc(doc(user.orgB, participant('p6')), { name: 'X' }));
      await assertSucceeds(
        updateDoc(doc(user.orgA, participant('p1')), { 'attendance.checkins': ['2026-05-04T09:00:00Z'] }),
      );
      await assertFails(updateDoc(doc(user.orgA, participant('p1')), { eligibility: { eligible: true } }));
      await assertSucceeds(getDoc(doc(user.orgA, participant('p1'))));
      await assertFails(getDoc(doc(user.stranger, participant('p1'))));
    });

    it('connections and webhook endpoints on the event are the functions own', async () => {
      await assertFails(
        updateDoc(doc(user.orgA, eventPath(EVENT_A)), { 'connectors.pretix': { baseUrl: 'https://evil.example' } }),
      );
      await assertFails(
        updateDoc(doc(user.orgA, eventPath(EVENT_A)), { webhooks: [{ url: 'http://169.254.169.254/' }] }),
      );
      await assertSucceeds(
        updateDoc(doc(user.orgA, eventPath(EVENT_A)), { roles: { attendee: { eligibility: { days: 2 } } } }),
      );
      await assertFails(
        setDoc(doc(user.creator, 'events/new-event'), {
          name: 'N',
          organizerUids: [CREATOR],
          connectors: { pretix: {} },
        }),
      );
    });

    it('eventSecrets is closed to every client; the delivery log is read by organizers only', async () => {
      await env.withSecurityRulesDisabled(async (context) => {
        await setDoc(doc(db(context), `eventSecrets/${EVENT_A}`), { pretix: { token: 'secret-token' } });
        await setDoc(doc(db(context), `events/${EVENT_A}/webhookDeliveries/d1`), { status: 'delivered' });
      });
      for (const client of [user.orgA, user.admin, user.unauthenticated]) {
        await assertFails(getDoc(doc(client, `eventSecrets/${EVENT_A}`)));
        await assertFails(setDoc(doc(client, `eventSecrets/${EVENT_A}`), { pretix: { token: 'x' } }));
      }
      await assertSucceeds(getDoc(doc(user.orgA, `events/${EVENT_A}/webhookDeliveries/d1`)));
      await assertFails(getDoc(doc(user.orgB, `events/${EVENT_A}/webhookDeliveries/d1`)));
      await assertFails(setDoc(doc(user.orgA, `events/${EVENT_A}/webhookDeliveries/d2`), { status: 'delivered' }));
    });
  });

  // ---- everything else --------------------------------------------------------------------

  describe('everything else', () => {
    it('the mail collection is closed to every client, admins included', async () => {
      await assertFails(getDoc(doc(user.admin, 'mail/m1')));
      await assertFails(getDocs(collection(user.admin, 'mail')));
      await assertFails(setDoc(doc(user.admin, 'mail/m2'), { to: 'x@example.com', message: { subject: 'hi' } }));
      await assertFails(setDoc(doc(user.orgA, 'mail/m2'), { to: 'x@example.com', message: { subject: 'hi' } }));
      await assertFails(deleteDoc(doc(user.admin, 'mail/m1')));
      await assertFails(getDoc(doc(user.unauthenticated, 'mail/m1')));
    });

    it('the certificate registry and bulk-issuance runs are closed to clients (read by the functions only)', async () => {
      await assertFails(getDoc(doc(user.unauthenticated, 'certificates/AbCdEfGhIjKlMnOpQrStUv')));
      await assertFails(getDoc(doc(user.orgA, 'certificates/AbCdEfGhIjKlMnOpQrStUv')));
      await assertFails(getDocs(collection(user.admin, 'certificates')));
      await assertFails(setDoc(doc(user.admin, 'certificates/forged'), { status: 'valid', recipientName: 'Mallory' }));
      await assertFails(getDoc(doc(user.orgA, `events/${EVENT_A}/issuanceRuns/r1`)));
      await assertFails(setDoc(doc(user.orgA, `events/${EVENT_A}/issuanceRuns/r1/shards/0`), { ready: 1000 }));
      await assertFails(setDoc(doc(user.orgA, `events/${EVENT_A}/issuanceRuns/r1/tallies/ada`), { state: 'ready' }));
    });

    it('unknown collections and subcollections are closed', async () => {
      await assertFails(setDoc(doc(user.admin, 'templates/classic'), { name: 'classic' }));
      await assertFails(getDoc(doc(user.admin, 'users/admin')));
      await assertFails(setDoc(doc(user.orgA, `events/${EVENT_A}/attendees/x`), { name: 'X' }));
      await assertFails(getDoc(doc(user.orgA, `events/${EVENT_A}/attendees/x`)));
      await assertFails(setDoc(doc(user.orgA, speakerPath(EVENT_A, 'ada') + '/notes/n1'), { text: 'x' }));
    });
  });
});

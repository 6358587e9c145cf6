/**
 * The one idempotent path that issues a participant's certificate (a speaker, an attendee, any
 * role of shared/roles.ts), shared by the triggers, the callable and the bulk task worker:
 *
 *   1. claim   (transaction) the participant's `certificate` goes to `rendering` with a lease,
 *              unless it is already ready/failed, or another live attempt holds it, or (other
 *              roles than speaker) the participant has not earned it (shared/roles.ts
 *              evaluateEligibility, checked on the document the transaction reads);
 *   2. render  event + speaker + template → PDF + PNG (pure pipeline);
 *   3. upload  the PDF to certificates/{eventId}/{speakerId}/{certificateId}.pdf; the PNG preview
 *              beside it is rendered the first time something asks for it (issue/preview.ts);
 *   4. commit  (transaction) `ready` with paths, sha256, sizes, only if the claim is still ours;
 *              otherwise the files just uploaded are removed again. The same transaction
 *              writes the public registry entry certificates/{certificateId}, marks the
 *              version it replaces as superseded, and (event.emailOnIssue) the mail document.
 *
 * Permanent failures (template or data errors) are recorded as `failed` with their code and
 * not retried. Transient failures (Storage / Firestore unavailable) are retried here a few
 * times, then thrown as TransientError after releasing the lease, so that a redelivery
 * can take over at once. Files are named by the certificate id, so a repeated attempt
 * overwrites the same objects instead of adding new ones.
 */
import { randomUUID } from 'node:crypto';
import { leaseLive, releaseLease } from '../shared/lease.js';
import {
  FieldValue,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Transaction,
} from 'firebase-admin/firestore';
import { CertforgeError, type CertificateData, type Renderer } from '../render/index.js';
import { IssueError, permanentError } from './errors.js';
import type { TemplateStore } from './template-store.js';
import { certificateSubject, formatEventDate, templateData } from '../shared/template-data.js';
import { validityOf, validUntil } from '../shared/validity.js';
import { text } from '../shared/values.js';
import {
  attendanceData,
  evidenceNarrative,
  participantEligibility,
  PARTICIPANT_PRIVATE_FIELDS,
  sameEligibility,
  ticketCanceled,
  roleIdOf,
  roleLabel,
  roleName,
  roleTemplateId,
  roleWording,
  type Eligibility,
  type ParticipantCollection,
} from '../shared/roles.js';
import { certificateMail, isEmailAddress, MAIL_WINDOW_MS } from '../shared/mail.js';
import { credentialRequest, publicCertificate } from './registry-entry.js';
import { credentialAttachment } from '../credential/open-badge.js';
import type { CredentialService, IssuedCredential } from '../credential/service.js';
import type { PdfSignatureRecord, PdfSigningService } from '../pdf-signature/service.js';
import { sha256Hex } from '../shared/hash.js';
import {
  toDate,
  type CertificateMail,
  type CertificateRecord,
  type EventDoc,
  type ParticipantDoc,
  type PublicCertificate,
  type SpeakerDoc,
} from '../shared/model.js';
import {
  MAIL_PER_ADDRESS,
  mailRecipientRef,
  nextAllowedAt,
  nextUtcDay,
  recentInstants,
  reserveDaily,
  REISSUES_PER_PARTICIPANT,
  type QuotaSlot,
} from '../shared/rate-limits.js';
import { TransientError } from '../shared/errors.js';
import { isTransient, withRetries } from '../shared/retry.js';
import { logCertificateFailed, logCertificateReady, logCertificateRetry, logCertificateSkipped } from '../logs.js';
import { tokenDownloadUrl, type ObjectStore } from '../shared/object-store.js';
import {
  certificatePaths,
  eventRef,
  mailLogRef,
  mailRef,
  newCertificateId,
  announcesWebhooks,
  participantRef,
  publicUrls,
  registryRef,
  webhookOutboxRef,
} from '../shared/paths.js';

export interface IssueSettings {
  defaultTemplateId: string;
  pngWidth: number;
  /** certificate.url = `${verifyBaseUrl}/${certificateId}`. */
  verifyBaseUrl: string;
  /** How long a `rendering` claim protects an attempt before another may take over. */
  leaseMs: number;
  /** Per-event daily limits (shared/rate-limits.ts; params CERTFORGE_*_PER_EVENT_PER_DAY). */
  limits: { mailsPerEventPerDay: number; reissuesPerEventPerDay: number };
}

export interface IssueDeps {
  db: Firestore;
  store: ObjectStore;
  templates: TemplateStore;
  renderer: () => Promise<Renderer>;
  /** Signs each version's Open Badges credential (embedded in the PDF, kept in the registry). */
  credentials: CredentialService;
  /** Signs each PDF (PAdES) with the organization's certificate; absent or unconfigured: unsigned. */
  pdfSigning?: PdfSigningService;
  settings: IssueSettings;
  now?: () => number;
  /**
   * Where the speaker document of (event, speaker) lives; default events/{e}/speakers/{s}.
   * The fault tests put theirs where no creation trigger fires, so that nothing races them.
   */
  participantRef?: (db: Firestore, eventId: string, speakerId: string) => DocumentReference;
}

export interface IssueRequest {
  eventId: string;
  /** The participant's document id (in speakers/ or participants/, per `collection`). */
  speakerId: string;
  /** Where the participant lives: speakers/ (default) or participants/ (attendees and other roles). */
  collection?: ParticipantCollection;
  /** The trigger's event id (a redelivery carries the same), or `callable:<uuid>`. */
  claimId: string;
  /**
   * Render again even when ready or failed (a new certificate id), unless the current
   * certificate was already made by this same claim id (a redelivered forced request).
   */
  force?: boolean;
  /**
   * A renewal (implies force): the new version's validity starts now, with a new period
   * (event.validity); otherwise a new version keeps the validity of the one it replaces.
   */
  renew?: boolean;
}

/** The claim id prefix of a bulk run's tasks (`run:<runId>`): limited as a run, not one by one. */
export const RUN_CLAIM_PREFIX = 'run:';

export type IssueOutcome =
  /** This call rendered and stored the certificate. */
  | { kind: 'issued'; certificate: CertificateRecord }
  /** Nothing to do: already ready or failed (and not forced). */
  | { kind: 'unchanged'; certificate: CertificateRecord }
  /** Another live attempt is rendering it. */
  | { kind: 'busy'; certificate: CertificateRecord }
  /** This call recorded a permanent failure. */
  | { kind: 'failed'; certificate: CertificateRecord }
  /** The speaker does not exist (deleted), or the claim was lost to a newer one meanwhile. */
  | { kind: 'gone' }
  /** The participant has not earned the certificate (yet): nothing was claimed. */
  | { kind: 'ineligible'; eligibility: Eligibility };

export const CACHE_CONTROL = 'private, max-age=3600';

type Claim =
  | {
      kind: 'claimed';
      certificate: CertificateRecord;
      speaker: ParticipantDoc;
      roleId: string;
      eligibility?: Eligibility;
    }
  | { kind: 'unchanged' | 'busy'; certificate: CertificateRecord }
  | { kind: 'gone' }
  | { kind: 'ineligible'; eligibility: Eligibility };

export async function issueCertificate(deps: IssueDeps, request: IssueRequest): Promise<IssueOutcome> {
  const now = deps.now ?? Date.now;
  const collection = request.collection ?? 'speakers';
  const ref = deps.participantRef
    ? deps.participantRef(deps.db, request.eventId, request.speakerId)
    : participantRef(deps.db, { eventId: request.eventId, collection, participantId: request.speakerId });
  const attemptId = randomUUID();
  const context = {
    eventId: request.eventId,
    speakerId: request.speakerId,
    claimId: request.claimId,
    ...(collection === 'speakers' ? {} : { collection }),
  };

  // The event is read alongside the claim (one round trip less per certificate); it is
  // only used when the claim succeeds.
  const t0 = performance.now();
  const eventRead = withRetries(() => eventRef(deps.db, request.eventId).get(), { what: 'reading the event' });
  eventRead.catch(() => undefined); // awaited below only when claimed
  // Other roles than speaker are checked against the event's rule in the claim: the event first.
  const eventForRule = collection === 'speakers' ? undefined : (await eventRead).data();
  const claim = await withRetries(() => claimSpeaker(deps, ref, request, attemptId, now(), eventForRule), {
    what: 'claiming the speaker',
  });
  if (claim.kind !== 'claimed') {
    logCertificateSkipped({
      ...context,
      outcome: claim.kind,
      status: 'certificate' in claim ? claim.certificate.status : undefined,
    });
    return claim;
  }
  const claimed = claim.certificate;
  const claimMs = Math.round(performance.now() - t0);
  let uploaded: { pdfPath: string } | undefined;
  /** Deletes this attempt's files unless the speaker's current certificate is this same id. */
  const removeOwnFiles = async (currentCertificateId: string | undefined) => {
    if (!uploaded || currentCertificateId === claimed.certificateId) return;
    const { pdfPath } = uploaded;
    await withRetries(() => deps.store.remove(pdfPath), {
      what: 'removing orphaned files',
    });
  };

  try {
    const rendered = await render(deps, await eventRead, request, claim);
    const paths = certificatePaths(request.eventId, request.speakerId, claimed.certificateId, collection);
    const t1 = performance.now();
    const pdfToken = await uploadPdf(deps.store, paths.pdfPath, rendered, claimed, request);
    uploaded = paths;
    const uploadMs = Math.round(performance.now() - t1);
    const ready: CertificateRecord = {
      ...claimed,
      status: 'ready',
      templateId: rendered.templateId,
      templateVersion: rendered.templateVersion,
      ...paths,
      pngToken: randomUUID(),
      sha256: rendered.sha256,
      pdfBytes: rendered.pdf.byteLength,
      renderedAt: new Date(now()),
      renderMs: rendered.renderMs,
      warnings: rendered.warnings,
      ...(rendered.pdfSignature ? { pdfSignature: rendered.pdfSignature } : {}),
      validFrom: rendered.validFrom,
      ...(rendered.validUntil ? { validUntil: rendered.validUntil } : {}),
    };
    delete ready.leaseUntil;
    const t2 = performance.now();
    const entry = publicCertificate(
      rendered.event,
      request.eventId,
      ref.path,
      { ...ready, ...paths, sha256: rendered.sha256, pdfBytes: rendered.pdf.byteLength },
      rendered.data,
      rendered.verifyUrl,
      rendered.issuedAt,
      rendered.credential,
      rendered.role,
    );
    const pdfUrl = tokenDownloadUrl(deps.store.bucketName, paths.pdfPath, pdfToken);
    const outcome = await withRetries(
      () =>
        commit(deps.db, deps.settings.limits, ref, claimed, ready, {
          entry,
          emailOnIssue: rendered.event.emailOnIssue === true,
          pdfUrl,
          announce: announcesWebhooks(rendered.event),
        }),
      { what: 'recording the certificate' },
    );
    const commitMs = Math.round(performance.now() - t2);
    if (!outcome.committed) {
      // The speaker was deleted, or re-claimed while we rendered (a forced render, or a takeover
      // after our lease ran out). Leave nothing behind, except files of the same certificate id
      // that the attempt which took over owns now.
      await removeOwnFiles(outcome.currentCertificateId);
      logCertificateSkipped({ ...context, certificateId: claimed.certificateId, outcome: 'claim-lost' });
      return { kind: 'gone' };
    }
    logCertificateReady({
      ...context,
      certificateId: claimed.certificateId,
      templateId: rendered.templateId,
      pdfBytes: ready.pdfBytes,
      claimMs,
      renderMs: rendered.renderMs,
      uploadMs,
      commitMs,
      totalMs: Math.round(performance.now() - t0),
      attempt: claimed.attempts,
    });
    return { kind: 'issued', certificate: ready };
  } catch (error) {
    if (isTransient(error)) {
      // Lets the next attempt take over at once.
      await releaseLease(
        ref,
        (speaker) => (speaker as SpeakerDoc | undefined)?.certificate,
        'certificate.leaseUntil',
        claimed.attemptId,
      ).catch(() => undefined);
      logCertificateRetry({ ...context, certificateId: claimed.certificateId, message: (error as Error).message });
      throw error instanceof TransientError ? error : new TransientError((error as Error).message, { cause: error });
    }
    const failure = permanentError(error);
    const failed: CertificateRecord = { ...claimed, status: 'failed', error: failure, failedAt: new Date(now()) };
    delete failed.leaseUntil;
    const outcome = await withRetries(() => commit(deps.db, deps.settings.limits, ref, claimed, failed), {
      what: 'recording the failure',
    });
    // A failed certificate has no files (only possible after an upload when the commit itself broke).
    await removeOwnFiles(outcome.committed ? undefined : outcome.currentCertificateId);
    logCertificateFailed({
      ...context,
      certificateId: claimed.certificateId,
      code: failure.code,
      message: failure.message,
    });
    if (!outcome.committed) return { kind: 'gone' };
    return { kind: 'failed', certificate: failed };
  }
}

/**
 * Records a permanent failure for a speaker whose retries ran out (the trigger's maximum
 * retry age), unless the certificate got ready meanwhile.
 */
export async function recordRetryExhausted(ref: DocumentReference, message: string, at: Date): Promise<void> {
  await ref.firestore.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) return;
    const current = (snap.data() as SpeakerDoc).certificate;
    if (current?.status === 'ready' || current?.status === 'failed') return;
    const failed: Partial<CertificateRecord> = {
      ...(current ?? {}),
      status: 'failed',
      error: { code: 'RETRY_EXHAUSTED', message },
      failedAt: at,
    };
    delete failed.leaseUntil;
    tx.update(ref, { certificate: failed });
  });
}

async function claimSpeaker(
  deps: IssueDeps,
  ref: DocumentReference,
  request: IssueRequest,
  attemptId: string,
  now: number,
  event: EventDoc | undefined,
): Promise<Claim> {
  const collection = request.collection ?? 'speakers';
  return deps.db.runTransaction(async (tx): Promise<Claim> => {
    const snap = await tx.get(ref);
    if (!snap.exists) return { kind: 'gone' };
    const speaker = snap.data() as ParticipantDoc;
    const current = speaker.certificate;
    const roleId = roleIdOf(collection, speaker);
    // Never before it is earned: checked on the document this transaction reads, so a ticket
    // cancelled a moment ago is seen. A settled certificate is judged by the lifecycle instead.
    let eligibility: Eligibility | undefined;
    if (collection !== 'speakers') {
      eligibility = participantEligibility(event ?? {}, speaker);
      const settled = current?.status === 'ready' || current?.status === 'failed';
      if (!eligibility.eligible && (!settled || request.force || request.renew)) {
        // A rendering claim whose attempt is gone (its lease released or run out) would block the
        // next eligible write (the trigger issues only when there is no certificate): cleared.
        if (current?.status === 'rendering' && !leaseLive(current, now))
          tx.update(ref, { certificate: FieldValue.delete() });
        return { kind: 'ineligible', eligibility };
      }
    }
    let certificateId = newCertificateId();
    let attempts = 1;
    let supersedes: string | undefined;
    if (current) {
      const settled = current.status === 'ready' || current.status === 'failed';
      if (current.status === 'rendering' && leaseLive(current, now)) {
        // Another attempt is at work. Even a forced render waits for it; a redelivery of the
        // same claim (the platform retrying a crashed attempt) gets a transient error, so it
        // is retried after the lease ends instead of being dropped.
        if (current.claimId === request.claimId)
          throw new TransientError('A previous attempt of this delivery holds the lease');
        return { kind: 'busy', certificate: current };
      }
      const forced = request.force === true || request.renew === true;
      if (settled && (!forced || current.claimId === request.claimId))
        return { kind: 'unchanged', certificate: current };
      if (current.status === 'rendering') {
        // The lease ended (released after a transient failure, or its holder died): take over
        // with the same certificate id, so any file it uploaded is simply overwritten.
        certificateId = current.certificateId;
        attempts = (current.attempts ?? 0) + 1;
        supersedes = current.supersedes;
      } else if (current.status === 'ready') {
        supersedes = current.certificateId;
      }
    }
    // A new version of a settled certificate (forced, or a correction) is a re-render: limited
    // per participant and per event. A forced bulk run's tasks are limited as a run instead.
    let reissuedAt = recentInstants(current?.reissuedAt, now);
    let slot: QuotaSlot | undefined;
    const reissue =
      (current?.status === 'ready' || current?.status === 'failed') && !request.claimId.startsWith(RUN_CLAIM_PREFIX);
    if (reissue) {
      if (reissuedAt.length >= REISSUES_PER_PARTICIPANT)
        throw new IssueError(
          'RATE_LIMITED',
          `At most ${REISSUES_PER_PARTICIPANT} new versions of one certificate in 24 hours; the next is possible after ${nextAllowedAt(reissuedAt, REISSUES_PER_PARTICIPANT)}`,
          {
            scope: 'participant',
            limit: REISSUES_PER_PARTICIPANT,
            windowHours: 24,
            retryAfter: nextAllowedAt(reissuedAt, REISSUES_PER_PARTICIPANT),
          },
        );
      const limit = deps.settings.limits.reissuesPerEventPerDay;
      slot = await reserveDaily(tx, deps.db, { name: 'reissue', limit }, request.eventId, now);
      if (!slot)
        throw new IssueError(
          'RATE_LIMITED',
          `At most ${limit} new versions of this event's certificates per day (CERTFORGE_REISSUES_PER_EVENT_PER_DAY); the next is possible after ${nextUtcDay(now)}`,
          { scope: 'event', limit, windowHours: 24, retryAfter: nextUtcDay(now) },
        );
      reissuedAt = [...reissuedAt, now];
    }
    const certificate: CertificateRecord = {
      status: 'rendering',
      certificateId,
      claimId: request.claimId,
      attemptId,
      attempts,
      leaseUntil: now + deps.settings.leaseMs,
      templateId: current?.templateId ?? deps.settings.defaultTemplateId,
      startedAt: new Date(now),
      subject: certificateSubject(speaker),
      ...(supersedes ? { supersedes } : {}),
      // A new version keeps the validity period of the one it replaces (and a takeover or a retry
      // after a failure, the attempt's); a renewal starts a new one.
      ...(current?.validFrom && !request.renew ? { validFrom: current.validFrom } : {}),
      ...(reissuedAt.length ? { reissuedAt } : {}),
    };
    // A participant's eligibility is recorded with the claim: one write (and one trigger) less.
    const recordEligibility = eligibility && !sameEligibility(speaker.eligibility, eligibility);
    tx.update(ref, {
      certificate,
      ...(recordEligibility ? { eligibility: { ...eligibility, at: new Date(now) } } : {}),
    });
    slot?.spend(tx);
    return { kind: 'claimed', certificate, speaker, roleId, ...(eligibility ? { eligibility } : {}) };
  });
}

/** What a ready certificate publishes along with the speaker's record. */
interface Publication {
  entry: PublicCertificate;
  emailOnIssue: boolean;
  pdfUrl: string;
  /** The event has webhook endpoints: the version is announced (outbox, handlers/outbound-webhooks.ts). */
  announce: boolean;
}

/**
 * Writes `next` when the speaker's certificate is still the claimed attempt. Otherwise nothing is
 * written and the certificate id the speaker has now (if any) is returned. A ready certificate
 * also writes its registry entry, supersedes the version it replaces (a revoked one stays
 * revoked) and, when asked, its mail document: all in the same transaction, so a version is
 * published and mailed exactly once.
 */
async function commit(
  db: Firestore,
  limits: IssueSettings['limits'],
  ref: DocumentReference,
  claimed: CertificateRecord,
  next: CertificateRecord,
  publication?: Publication,
): Promise<{ committed: true } | { committed: false; currentCertificateId?: string }> {
  return db.runTransaction(async (tx) => {
    const previousRef = publication?.entry.supersedes ? registryRef(db, publication.entry.supersedes) : undefined;
    const [snap, previous] = await Promise.all([tx.get(ref), previousRef ? tx.get(previousRef) : undefined]);
    if (!snap.exists) return { committed: false };
    const speaker = snap.data() as SpeakerDoc;
    const current = speaker.certificate;
    if (!current || current.attemptId !== claimed.attemptId || current.certificateId !== claimed.certificateId) {
      return { committed: false, ...(current ? { currentCertificateId: current.certificateId } : {}) };
    }
    // A participant's ticket cancelled while the first version rendered: nothing is published,
    // the claim is cleared (the participant's eligibility says TICKET_CANCELED).
    if (publication && !next.supersedes && ref.parent.id === 'participants' && ticketCanceled(speaker)) {
      tx.update(ref, { certificate: FieldValue.delete() });
      return { committed: false };
    }
    const mail = publication?.emailOnIssue
      ? await planMail(tx, db, ref.path, speaker.email, publication, limits.mailsPerEventPerDay)
      : undefined;
    tx.update(ref, { certificate: mail ? { ...next, mail: mail.record } : next });
    if (publication) {
      const { entry } = publication;
      tx.set(registryRef(db, entry.certificateId), entry);
      if (previousRef && previous?.exists) {
        const old = previous.data()!;
        tx.update(previousRef, {
          supersededBy: entry.certificateId,
          supersededAt: entry.issuedAt,
          ...(old.status === 'revoked' ? {} : { status: 'superseded' }),
        });
      }
      mail?.send?.(tx);
      if (publication.announce) {
        const type = entry.supersedes ? 'certificate.corrected' : 'certificate.issued';
        tx.set(webhookOutboxRef(db, type, entry.certificateId), {
          type,
          certificateId: entry.certificateId,
          eventId: entry.eventId,
          at: entry.issuedAt,
        });
      }
    }
    return { committed: true };
  });
}

/** A version's mail: queued (with the writes that queue it and spend the limits) or held back, and why. */
interface MailPlan {
  record: CertificateMail;
  send?: (tx: Transaction) => void;
}

/**
 * Whether this version is mailed (event.emailOnIssue), under every mail limit of
 * shared/rate-limits.ts: the participant (one per 24 h), the address (MAIL_PER_ADDRESS per 24 h,
 * whatever the event or participant document), the event (its daily quota). Reads only; the
 * returned `send` writes the mail document and spends the limits, in the same transaction.
 */
async function planMail(
  tx: Transaction,
  db: Firestore,
  participantPath: string,
  email: unknown,
  publication: Publication,
  mailsPerEventPerDay: number,
): Promise<MailPlan> {
  const { entry } = publication;
  if (!isEmailAddress(email)) return { record: { status: 'held', reason: 'NO_ADDRESS' } };
  const issuedAt = toDate(entry.issuedAt)?.getTime() ?? Date.now();
  // Functions-only records: clients cannot reset them.
  const participantLog = mailLogRef(db, participantPath);
  const recipient = mailRecipientRef(db, email);
  const [participantSnap, recipientSnap] = await Promise.all([tx.get(participantLog), tx.get(recipient)]);
  const lastMail = participantSnap.exists ? toDate(participantSnap.get('lastAt'))?.getTime() : undefined;
  if (lastMail !== undefined && issuedAt - lastMail < MAIL_WINDOW_MS)
    return { record: { status: 'held', reason: 'PARTICIPANT_WINDOW' } };
  const sentAt = recentInstants(recipientSnap.get('sentAt'), issuedAt);
  if (sentAt.length >= MAIL_PER_ADDRESS) return { record: { status: 'held', reason: 'ADDRESS_LIMIT' } };
  const slot = await reserveDaily(tx, db, { name: 'mail', limit: mailsPerEventPerDay }, entry.eventId, issuedAt);
  if (!slot) return { record: { status: 'held', reason: 'EVENT_LIMIT' } };
  return {
    record: { status: 'queued' },
    send: (t) => {
      t.set(mailRef(db, entry.certificateId), certificateMail(entry, email, publication.pdfUrl));
      t.set(participantLog, { lastAt: entry.issuedAt, certificateId: entry.certificateId });
      t.set(recipient, { sentAt: [...sentAt, issuedAt] });
      slot.spend(t);
    },
  };
}

/** The role a version was issued for, as its registry entry and credential state it. */
export interface IssuedRole {
  roleId: string;
  /** The organizer's label of the role, when the event gives one. */
  label?: string | Record<string, string>;
  evidence?: Eligibility['evidence'];
}

interface Rendered {
  event: EventDoc;
  role: IssuedRole;
  data: CertificateData;
  verifyUrl: string;
  issuedAt: Date;
  credential: IssuedCredential;
  templateId: string;
  templateVersion: string;
  pdf: Uint8Array;
  sha256: string;
  renderMs: number;
  warnings: { code: string; message: string }[];
  /** How the PDF is signed (PAdES), when the deployment has a signing certificate. */
  pdfSignature?: PdfSignatureRecord;
  /** ISO instants: when its validity starts, and ends (event.validity). */
  validFrom: string;
  validUntil?: string;
}

async function render(
  deps: IssueDeps,
  eventSnap: DocumentSnapshot<EventDoc>,
  request: IssueRequest,
  claim: Extract<Claim, { kind: 'claimed' }>,
): Promise<Rendered> {
  if (!eventSnap.exists)
    throw new IssueError('EVENT_NOT_FOUND', `Event ${request.eventId} does not exist`, { eventId: request.eventId });
  const { speaker, certificate: claimed, roleId } = claim;
  const event = eventSnap.data()!;
  const templateId = roleTemplateId(event, roleId, deps.settings.defaultTemplateId);
  const verifyUrl = publicUrls(deps.settings.verifyBaseUrl).certificate(claimed.certificateId);
  const data = templateData(event, speaker, { certificateId: claimed.certificateId, verifyUrl });
  const label = roleLabel(event, roleId);
  const wording = roleWording(event, roleId);
  const evidence = claim.eligibility?.evidence;
  const attended = evidence && (evidence.checkins > 0 || evidence.minutes > 0) ? evidence : undefined;
  const role: IssuedRole = { roleId, ...(label ? { label } : {}), ...(attended ? { evidence: attended } : {}) };
  if ((request.collection ?? 'speakers') !== 'speakers') {
    // Other roles get certforge's `role` {id, name, wording} and their counted attendance, not
    // the records certforge and the connectors keep on them.
    for (const field of PARTICIPANT_PRIVATE_FIELDS) delete data[field];
    data.role = { id: roleId, name: roleName(event, roleId), ...(wording ? { wording } : {}) };
    if (attended) data.attendance = attendanceData(attended);
  }
  const issuedAt = new Date((deps.now ?? Date.now)());
  // How long it is valid (event.validity or the role's): from the event date (or the issue, when
  // that comes first: never only in the future), the version it replaces, or (a renewal) now.
  const validity = validityOf(event, roleId);
  const eventStart =
    typeof event.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(event.date)
      ? new Date(`${event.date}T00:00:00Z`)
      : undefined;
  const validFrom = request.renew
    ? issuedAt
    : claimed.validFrom
      ? new Date(claimed.validFrom)
      : eventStart && eventStart <= issuedAt
        ? eventStart
        : issuedAt;
  const expires = validity ? validUntil(validity, validFrom) : undefined;
  if (expires && expires.getTime() <= validFrom.getTime())
    throw new CertforgeError(
      'INVALID_DATA',
      `The validity of the event's certificates ends on ${expires.toISOString().slice(0, 10)}, before this certificate's starts (${validFrom.toISOString().slice(0, 10)}): change event.validity`,
      { field: 'event.validity' },
    );
  data.certificate = {
    ...(data.certificate as Record<string, unknown>),
    validFrom: formatEventDate(validFrom.toISOString().slice(0, 10), text(event.locale)),
    validFromIso: validFrom.toISOString().slice(0, 10),
    ...(expires
      ? {
          validUntil: formatEventDate(expires.toISOString().slice(0, 10), text(event.locale)),
          validUntilIso: expires.toISOString().slice(0, 10),
        }
      : {}),
  };
  // Signed before the render: the credential is one of the PDF's associated files.
  const credential = await withRetries(
    () =>
      deps.credentials.issue(
        credentialRequest(request.eventId, event, speaker, data, verifyUrl, issuedAt, {
          role: roleName(event, roleId),
          roleId,
          ...(wording ? { wording } : {}),
          ...(attended && evidenceNarrative(attended) ? { evidence: evidenceNarrative(attended) } : {}),
          validFrom,
          ...(expires ? { validUntil: expires } : {}),
        }),
      ),
    {
      what: 'signing the credential',
    },
  );
  const renderer = await deps.renderer();
  // withRetries around use(): a Storage hiccup while checking or loading the template is
  // transient; the render itself throws CertforgeErrors, which are not retried.
  const rendered = await withRetries(
    () =>
      deps.templates.use(templateId, async (resolved) => {
        const start = performance.now();
        // The PDF only: the preview is rendered when first asked for (issue/preview.ts).
        const result = await renderer.renderCertificate(resolved.template, data, {
          png: false,
          attachments: [credentialAttachment(credential.json)],
        });
        return {
          event,
          role,
          data,
          verifyUrl,
          issuedAt,
          credential,
          templateId,
          templateVersion: resolved.version,
          pdf: result.pdf,
          sha256: result.sha256,
          validFrom: validFrom.toISOString(),
          ...(expires ? { validUntil: expires.toISOString() } : {}),
          renderMs: Math.round(performance.now() - start),
          warnings: result.warnings.map(({ code, message }) => ({ code, message })),
        };
      }),
    { what: 'loading the template' },
  );
  if (!deps.pdfSigning) return rendered;
  // The organization's signature (PAdES) over the whole file, credential included; the registry's
  // sha256 is of the signed file. A time-stamping authority that does not answer is transient.
  const signed = await withRetries(
    () =>
      deps.pdfSigning!.sign(rendered.pdf, {
        signingTime: issuedAt,
        reason: event.name ? `Certificate: ${event.name}` : 'Certificate',
        contactInfo: verifyUrl,
      }),
    { what: 'signing the PDF' },
  );
  if (!signed) return rendered;
  return { ...rendered, pdf: signed.pdf, sha256: sha256Hex(signed.pdf), pdfSignature: signed.record };
}

async function uploadPdf(
  store: ObjectStore,
  pdfPath: string,
  rendered: Rendered,
  claimed: CertificateRecord,
  request: IssueRequest,
): Promise<string> {
  const token = randomUUID();
  await withRetries(
    () =>
      store.upload(pdfPath, rendered.pdf, {
        contentType: 'application/pdf',
        cacheControl: CACHE_CONTROL,
        contentDisposition: `inline; filename="certificate-${claimed.certificateId}.pdf"`,
        metadata: {
          ...fileMetadata(claimed.certificateId, request.eventId, request.speakerId, rendered),
          sha256: rendered.sha256,
          firebaseStorageDownloadTokens: token,
        },
      }),
    { what: `uploading ${pdfPath}` },
  );
  return token;
}

/** The custom metadata of a certificate's files (the PDF here, the PNG in issue/preview.ts). */
export function fileMetadata(
  certificateId: string,
  eventId: string,
  speakerId: string,
  template: { templateId: string; templateVersion?: string },
): Record<string, string> {
  return {
    certificateId,
    eventId,
    speakerId,
    templateId: template.templateId,
    ...(template.templateVersion ? { templateVersion: template.templateVersion } : {}),
  };
}

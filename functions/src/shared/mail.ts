/**
 * Mail of a certificate: a document in the format of Firebase's Trigger Email extension
 * (firestore-send-email) at `mail/{certificateId}`, in the event's language (shared/mail-messages.ts).
 * certforge never sends mail itself.
 */
import { escapeHtml } from './html.js';
import { MAIL_MESSAGES, mailLanguage } from './mail-messages.js';
import type { PublicCertificate } from './model.js';

/** `mail/{certificateId}`. */
export interface MailDoc {
  to: string[];
  message: {
    subject: string;
    text: string;
    html: string;
    attachments: { filename: string; path: string; contentType: string }[];
  };
  certforge: { eventId: string; certificateId: string; participantPath: string };
}

const EMAIL_PATTERN = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 254 && EMAIL_PATTERN.test(value.trim());
}

/** One line of mail text: line breaks and other control characters become a space (no header or line injection). */
export function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/** At most one mail per speaker in this window, however many versions are issued. */
export const MAIL_WINDOW_MS = 24 * 60 * 60 * 1000;

export function certificateMail(raw: PublicCertificate, to: string, pdfUrl: string): MailDoc {
  const entry = {
    ...raw,
    eventName: raw.eventName ? oneLine(raw.eventName) : raw.eventName,
    recipientName: oneLine(raw.recipientName),
    issuer: oneLine(raw.issuer),
  };
  const m = MAIL_MESSAGES[mailLanguage(entry.locale)];
  const eventName = entry.eventName || undefined;
  const lines = [
    m.greeting(entry.recipientName),
    '',
    m.attached(eventName),
    `${m.checkAt} ${entry.verifyUrl}`,
    '',
    m.issuedBy(entry.issuer),
  ];
  const html = [
    `<div dir="${m.dir}">`,
    `<p dir="auto">${escapeHtml(m.greeting(entry.recipientName))}</p>`,
    `<p>${escapeHtml(m.attached(eventName))}</p>`,
    `<p>${escapeHtml(m.checkAt)} <a href="${escapeHtml(entry.verifyUrl)}">${escapeHtml(entry.verifyUrl)}</a></p>`,
    `<p>${escapeHtml(m.issuedBy(entry.issuer))}</p>`,
    '</div>',
  ].join('\n');
  return {
    to: [to.trim()],
    message: {
      subject: oneLine(m.subject(eventName)),
      text: lines.join('\n'),
      html,
      attachments: [
        { filename: `certificate-${entry.certificateId}.pdf`, path: pdfUrl, contentType: 'application/pdf' },
      ],
    },
    certforge: { eventId: entry.eventId, certificateId: entry.certificateId, participantPath: entry.participantPath },
  };
}

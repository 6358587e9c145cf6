/** Who may do what with an event and its speakers (the same rules as firestore.rules). */
import type { EventDoc, SpeakerDoc } from './model.js';

/** True when `uid` may manage the event: listed organizer, or the certforgeAdmin claim. */
export function isOrganizer(event: EventDoc, uid: string, token: Record<string, unknown> | undefined): boolean {
  if (token?.certforgeAdmin === true) return true;
  return Array.isArray(event.organizerUids) && event.organizerUids.includes(uid);
}

/** True when the signed-in user is this speaker: verified email equal to the speaker's (case-insensitive). */
export function isSpeakerThemself(speaker: SpeakerDoc, token: Record<string, unknown> | undefined): boolean {
  if (!token || token.email_verified !== true || typeof token.email !== 'string') return false;
  if (typeof speaker.email !== 'string' || speaker.email.trim() === '') return false;
  return token.email.trim().toLowerCase() === speaker.email.trim().toLowerCase();
}

/**
 * ID-token check for the deployed preview endpoint: `Authorization: Bearer <ID token>`
 * verified by firebase-admin (the auth emulator's tokens when it runs), and the caller must
 * hold the `organizer` or `certforgeAdmin` custom claim.
 */
import { app } from '../firebase-app.js';
import type { Authorization, PreviewRequest } from './preview-template.js';

export async function authorizeOrganizer(req: PreviewRequest): Promise<Authorization> {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return { status: 401, message: 'Send a Firebase ID token: Authorization: Bearer <token>' };
  let token;
  try {
    // Imported on first use: firebase-admin/auth costs ~0.2 s to load, which instances of
    // the other functions should not pay at cold start.
    const { getAuth } = await import('firebase-admin/auth');
    token = await getAuth(app()).verifyIdToken(match[1]!);
  } catch {
    return { status: 401, message: 'The ID token is invalid or expired' };
  }
  if (!token.uid) return { status: 401, message: 'The ID token has no user' };
  if (token.organizer !== true && token.certforgeAdmin !== true) {
    return { status: 403, message: 'Only organizers (custom claim organizer or certforgeAdmin) may preview templates' };
  }
  return { uid: token.uid };
}

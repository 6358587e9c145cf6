/** Sign in: email and password (or a new account), a link by email, or Google. */
import { useEffect, useState } from 'preact/hooks';
import {
  createUserWithEmailAndPassword,
  GoogleAuthProvider,
  isSignInWithEmailLink,
  sendSignInLinkToEmail,
  signInWithEmailAndPassword,
  signInWithEmailLink,
  signInWithPopup,
} from 'firebase/auth';
import { firebaseAuth } from '../firebase.js';
import { useI18n } from '../i18n.js';
import { Field, Notice } from '../ui.js';

const LINK_EMAIL_KEY = 'certforge.console.linkEmail';

function authMessage(t: ReturnType<typeof useI18n>['t'], error: unknown): string {
  const code = String((error as { code?: string }).code ?? 'unknown').replace(/^auth\//, '');
  const e = t.signIn.errors;
  switch (code) {
    case 'invalid-credential':
    case 'wrong-password':
    case 'user-not-found':
    case 'invalid-login-credentials':
      return e.invalidCredential;
    case 'email-already-in-use':
      return e.emailInUse;
    case 'weak-password':
      return e.weakPassword;
    case 'invalid-email':
    case 'missing-email':
      return e.invalidEmail;
    case 'too-many-requests':
      return e.tooManyRequests;
    case 'popup-closed-by-user':
    case 'cancelled-popup-request':
      return e.popupClosed;
    case 'network-request-failed':
      return e.network;
    // The popup needs Google's script (apis.google.com): unreachable, the SDK says internal-error.
    case 'internal-error':
      return e.googleUnavailable;
    default:
      return e.other(code);
  }
}

export function SignIn() {
  const { t } = useI18n();
  const [mode, setMode] = useState<'signIn' | 'create'>('signIn');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const linkPending = isSignInWithEmailLink(firebaseAuth(), location.href);

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(authMessage(t, e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    // A link opened on the device that asked for it completes by itself.
    const saved = localStorage.getItem(LINK_EMAIL_KEY);
    if (linkPending && saved)
      void run(async () => {
        await signInWithEmailLink(firebaseAuth(), saved, location.href);
        localStorage.removeItem(LINK_EMAIL_KEY);
        history.replaceState(null, '', '/');
      });
  }, []);

  const submit = (e: Event) => {
    e.preventDefault();
    if (linkPending)
      return run(async () => {
        await signInWithEmailLink(firebaseAuth(), email.trim(), location.href);
        history.replaceState(null, '', '/');
      });
    return run(() =>
      mode === 'create'
        ? createUserWithEmailAndPassword(firebaseAuth(), email.trim(), password)
        : signInWithEmailAndPassword(firebaseAuth(), email.trim(), password),
    );
  };

  const sendLink = () =>
    run(async () => {
      // Back to the page that asked for sign-in (a recipient's /correction/<id>), without the link's parameters.
      await sendSignInLinkToEmail(firebaseAuth(), email.trim(), {
        url: `${location.origin}${location.pathname}`,
        handleCodeInApp: true,
      });
      localStorage.setItem(LINK_EMAIL_KEY, email.trim());
      setNotice(t.signIn.emailLinkSent(email.trim()));
    });

  return (
    <section class="narrow">
      <h1>{t.signIn.title}</h1>
      <p>{linkPending ? t.signIn.emailLinkConfirm : t.signIn.intro}</p>
      <form onSubmit={submit} class="card">
        <Field label={t.signIn.email}>
          {(id) => (
            <input
              id={id}
              type="email"
              autoComplete="email"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          )}
        </Field>
        {!linkPending && (
          <Field label={t.signIn.password}>
            {(id) => (
              <input
                id={id}
                type="password"
                autoComplete={mode === 'create' ? 'new-password' : 'current-password'}
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            )}
          </Field>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {notice && <Notice>{notice}</Notice>}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {linkPending
              ? t.signIn.emailLinkFinish
              : mode === 'create'
                ? t.signIn.createAccountSubmit
                : t.signIn.submit}
          </button>
          {!linkPending && (
            <button type="button" class="link" onClick={() => setMode(mode === 'create' ? 'signIn' : 'create')}>
              {mode === 'create' ? t.signIn.haveAccount : t.signIn.createAccount}
            </button>
          )}
        </div>
      </form>
      {!linkPending && (
        <div class="card alternatives">
          <p class="muted">{t.signIn.orDivider}</p>
          <button type="button" disabled={busy} onClick={() => void sendLink()}>
            {t.signIn.emailLink}
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => signInWithPopup(firebaseAuth(), new GoogleAuthProvider()))}
          >
            {t.signIn.google}
          </button>
        </div>
      )}
    </section>
  );
}

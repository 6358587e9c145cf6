/**
 * The organizer console: sign-in, then events → one event (overview, people, import, issue,
 * template, settings) → a certificate. Preact with preact-iso's router; every read and write is a
 * callable (api.ts), so the console holds no credentials beyond the signed-in user's ID token.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBoundary, lazy, LocationProvider, Route, Router } from 'preact-iso';
import { onAuthStateChanged, signOut, type User } from 'firebase/auth';
import { LANGUAGES, type Language } from '../../functions/src/shared/languages.js';
import { connect, firebaseAuth } from './firebase.js';
import { I18nProvider, useI18n } from './i18n.js';
import { LANGUAGE_NAMES } from './messages/index.js';
import { ErrorBox, Loading, useId } from './ui.js';
import { SignIn } from './pages/SignIn.js';
import { Events } from './pages/Events.js';

// The first page (events) and sign-in come with the app; the others load when first opened.
const NewEvent = lazy(() => import('./pages/EventForm.js').then((m) => m.NewEvent));
const EventPage = lazy(() => import('./pages/Event.js').then((m) => m.EventPage));
const CertificatePage = lazy(() => import('./pages/Certificate.js').then((m) => m.CertificatePage));
const CorrectionPage = lazy(() => import('./pages/Correction.js').then((m) => m.CorrectionPage));
import './styles.css';

function LanguageMenu() {
  const { t, language, setLanguage } = useI18n();
  const id = useId('lang');
  return (
    <div class="language">
      <label for={id}>{t.language}</label>
      <select id={id} value={language} onChange={(e) => setLanguage(e.currentTarget.value as Language)}>
        {LANGUAGES.map((l) => (
          <option value={l} lang={l} key={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section>
      <h1>{t.notFound}</h1>
      <p>
        <a href="/">{t.home}</a>
      </p>
    </section>
  );
}

function Shell({ user }: { user: User | null }) {
  const { t } = useI18n();
  return (
    <>
      <a class="skip" href="#main">
        {t.skip}
      </a>
      <header class="top">
        <a class="brand" href="/">
          <img src="/favicon.svg" alt="" width="24" height="24" />
          <span>
            {t.brand} <span class="muted">· {t.consoleName}</span>
          </span>
        </a>
        <div class="top-end">
          <LanguageMenu />
          {user && (
            <div class="account">
              <span class="muted">{t.signedInAs(user.email ?? user.uid)}</span>
              <button type="button" class="link" onClick={() => void signOut(firebaseAuth())}>
                {t.signOut}
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {user ? (
          <ErrorBoundary>
            <Router>
              <Route path="/" component={Events} />
              <Route path="/events/new" component={NewEvent} />
              <Route path="/events/:eventId/:tab?" component={EventPage} />
              <Route path="/certificates/:certificateId" component={CertificatePage} />
              <Route path="/correction/:certificateId" component={CorrectionPage} />
              <Route default component={NotFound} />
            </Router>
          </ErrorBoundary>
        ) : (
          <SignIn />
        )}
      </main>
    </>
  );
}

function App() {
  const [ready, setReady] = useState<'connecting' | 'ready' | Error>('connecting');
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    connect().then(
      () => {
        setReady('ready');
        onAuthStateChanged(firebaseAuth(), setUser);
      },
      (error: Error) => setReady(error),
    );
  }, []);
  if (ready instanceof Error) return <ErrorBox error={ready} />;
  if (ready === 'connecting' || user === undefined) return <Loading />;
  return <Shell user={user} />;
}

render(
  <I18nProvider>
    <LocationProvider>
      <App />
    </LocationProvider>
  </I18nProvider>,
  document.getElementById('app')!,
);

/** The console's German text (messages/en.ts is the shape). */
import type { ConsoleMessages } from './en.js';

export const de: ConsoleMessages = {
  dir: 'ltr',
  brand: 'certforge',
  consoleName: 'Veranstalterbereich',
  skip: 'Zum Inhalt springen',
  language: 'Sprache',
  loading: 'Wird geladen…',
  save: 'Speichern',
  saving: 'Wird gespeichert…',
  cancel: 'Abbrechen',
  close: 'Schließen',
  edit: 'Bearbeiten',
  delete: 'Löschen',
  back: 'Zurück',
  retry: 'Erneut versuchen',
  yes: 'Ja',
  no: 'Nein',
  optional: '(optional)',
  notSet: 'nicht festgelegt',
  signOut: 'Abmelden',
  signedInAs: (email: string) => `Angemeldet als ${email}`,

  signIn: {
    title: 'Im Veranstalterbereich anmelden',
    intro:
      'Melden Sie sich an, um Veranstaltungen anzulegen, Personen zu importieren und ihre Zertifikate auszustellen.',
    email: 'E-Mail',
    password: 'Passwort',
    submit: 'Anmelden',
    createAccount: 'Konto erstellen',
    createAccountSubmit: 'Konto erstellen',
    haveAccount: 'Ich habe bereits ein Konto',
    orDivider: 'oder',
    emailLink: 'Anmeldelink per E-Mail senden',
    emailLinkSent: (email: string) =>
      `Wir haben einen Anmeldelink an ${email} gesendet. Öffnen Sie ihn auf diesem Gerät.`,
    emailLinkConfirm: 'Bestätigen Sie die E-Mail-Adresse, für die Sie den Link angefordert haben.',
    emailLinkFinish: 'Anmeldung abschließen',
    google: 'Mit Google anmelden',
    errors: {
      invalidCredential: 'E-Mail-Adresse oder Passwort ist nicht korrekt.',
      emailInUse: 'Mit dieser E-Mail-Adresse gibt es bereits ein Konto: Melden Sie sich stattdessen an.',
      weakPassword: 'Wählen Sie ein Passwort mit mindestens 6 Zeichen.',
      invalidEmail: 'Das ist keine E-Mail-Adresse.',
      tooManyRequests: 'Zu viele Versuche. Warten Sie eine Minute und versuchen Sie es dann erneut.',
      popupClosed: 'Das Anmeldefenster wurde geschlossen, bevor die Anmeldung abgeschlossen war.',
      googleUnavailable:
        'Die Google-Anmeldung konnte nicht geladen werden. Prüfen Sie die Verbindung oder melden Sie sich mit Ihrer E-Mail-Adresse an.',
      network: 'Der Dienst ist nicht erreichbar. Prüfen Sie die Verbindung und versuchen Sie es erneut.',
      other: (code: string) => `Die Anmeldung hat nicht geklappt (${code}).`,
    },
  },

  nav: {
    events: 'Veranstaltungen',
    overview: 'Übersicht',
    people: 'Personen',
    import: 'Import',
    issue: 'Ausstellen',
    template: 'Vorlage',
    settings: 'Einstellungen',

    corrections: 'Korrekturen',
  },

  events: {
    title: 'Ihre Veranstaltungen',
    empty: 'Sie haben noch keine Veranstaltungen. Legen Sie eine an, um zu beginnen.',
    create: 'Neue Veranstaltung',
    columns: { name: 'Veranstaltung', date: 'Datum', place: 'Ort' },
    open: (name: string) => `${name} öffnen`,
  },

  eventForm: {
    createTitle: 'Neue Veranstaltung',
    editTitle: 'Veranstaltungseinstellungen',
    name: 'Name',
    nameHint: 'So, wie er auf den Zertifikaten steht.',
    date: 'Datum',
    dateHint: 'Ein Datum (wird in der Zertifikatssprache gedruckt) oder beliebiger Text, etwa „12.–14. März 2026“.',
    place: 'Ort',
    locale: 'Zertifikatssprache',
    localeHint:
      'Die Sprache, in der Datumsangaben gedruckt werden und die die Verifizierungsseite standardmäßig verwendet.',
    timeZone: 'Zeitzone',
    timeZoneHint: 'Check-ins werden nach Tagen in dieser Zeitzone gezählt, etwa Europe/Berlin.',
    issuer: 'Ausgestellt von',
    issuerHint: 'Die Organisation, die die Zertifikate ausstellt. Leer: der Name der Veranstaltung.',
    emailOnIssue: 'Jedes Zertifikat per E-Mail an die jeweilige Person senden, sobald es fertig ist',
    offerPdf: 'Das PDF auf der Verifizierungsseite zum Herunterladen anbieten',
    validityMonths: 'Zertifikate gültig für (Monate)',
    validityMonthsHint:
      'Leer: Sie laufen nicht ab. Danach zeigt die Prüfseite „abgelaufen“; erneuern Sie sie unter Ausstellen.',
    signatories: 'Unterzeichnende',
    signatoryName: 'Name',
    signatoryRole: 'Funktion',
    addSignatory: 'Unterzeichnende Person hinzufügen',
    removeSignatory: (n: number) => `Unterzeichnende Person ${n} entfernen`,
    created: 'Die Veranstaltung wurde angelegt.',
    saved: 'Die Änderungen wurden gespeichert.',
  },

  corrections: {
    title: 'Korrekturanfragen',
    intro:
      'Wer im eigenen Namen oder im Vortragstitel einen Fehler findet, bittet auf der Seite seines Zertifikats um eine Korrektur. Genehmigen stellt die korrigierte Fassung aus; Ablehnen lässt das Zertifikat, wie es ist.',
    empty: 'Keine Korrekturanfragen.',
    status: {
      pending: 'Offen',
      approved: 'Genehmigt',
      declined: 'Abgelehnt',
      outdated: 'Überholt: Das Zertifikat hat sich seither geändert',
    },
    current: 'Auf dem Zertifikat',
    requested: 'Gewünscht',
    name: 'Name',
    talkTitle: 'Vortragstitel',
    note: 'Anmerkung',
    approve: 'Genehmigen: korrigierte Fassung ausstellen',
    decline: 'Ablehnen',
    reason: 'Begründung für die anfragende Person (optional)',
    requestedOn: 'Angefragt am',
  },

  correction: {
    title: 'Um eine Korrektur bitten',
    intro:
      'Wenn Ihr Name oder Ihr Vortragstitel auf diesem Zertifikat falsch ist, teilen Sie dem Veranstalter mit, wie er lauten soll. Er entscheidet; genehmigt er, ersetzt ein korrigiertes Zertifikat dieses.',
    onCertificate: 'Auf Ihrem Zertifikat',
    newName: 'Ihr Name, wie er lauten soll',
    newTalkTitle: 'Ihr Vortragstitel, wie er lauten soll',
    note: 'Eine Anmerkung für den Veranstalter (optional)',
    submit: 'An den Veranstalter senden',
    sent: 'Gesendet. Der Veranstalter entscheidet; besuchen Sie diese Seite wieder, um seine Antwort zu sehen.',
    pending: 'Ihre Anfrage wartet auf die Entscheidung des Veranstalters.',
    approved: 'Der Veranstalter hat Ihre Anfrage genehmigt: Ein korrigiertes Zertifikat ersetzt dieses.',
    declined: 'Der Veranstalter hat Ihre Anfrage abgelehnt.',
    reason: 'Begründung:',
    notAllowed:
      'Nur die Person, für die dieses Zertifikat ausgestellt wurde, kann eine Korrektur anfragen: Melden Sie sich mit der E-Mail-Adresse an, an die es geschickt wurde.',
  },

  organizers: {
    title: 'Organisatoren',
    intro: 'Alle hier Aufgeführten können diese Veranstaltung, ihre Personen und ihre Zertifikate sehen und ändern.',
    you: '(Sie)',
    remove: 'Entfernen',
    add: 'Organisator hinzufügen',
    email: 'E-Mail-Adresse, mit der die Person sich anmeldet',
    addSubmit: 'Hinzufügen',
    notFound: (email: string) =>
      `Noch niemand meldet sich als ${email} an. Bitten Sie die Person, sich einmal in der Konsole anzumelden, und fügen Sie sie dann hinzu.`,
    unknownUser: 'ein Konto, das nicht mehr existiert',
  },

  deleteEvent: {
    title: 'Diese Veranstaltung löschen',
    warning:
      'Beim Löschen der Veranstaltung werden alle von ihr ausgestellten Zertifikate widerrufen (ihre Verifizierungsseiten zeigen das an) und ihre Personen, Importe, Vorlagen und Dateien entfernt. Das lässt sich nicht rückgängig machen.',
    confirmLabel: (name: string) => `Geben Sie zur Bestätigung den Namen der Veranstaltung ein: „${name}“`,
    submit: 'Veranstaltung löschen und ihre Zertifikate widerrufen',
    mismatch: 'Der eingegebene Name stimmt nicht mit dem Namen der Veranstaltung überein.',
    done: 'Die Veranstaltung wurde gelöscht.',
  },

  overview: {
    title: 'Übersicht',
    people: 'Personen',
    speakers: 'Vortragende',
    participants: 'Teilnehmende',
    ready: 'Fertig',
    rendering: 'In Arbeit',
    failed: 'Fehlgeschlagen',
    revoked: 'Widerrufen',
    views: 'Aufrufe der Verifizierungsseite',
    downloads: 'PDF-Downloads',
    linkedIn: 'Zu LinkedIn hinzugefügt',
    statsNote: 'Von certforge pro Tag gezählt, ohne Cookies oder Tracker von Drittanbietern.',
    lastRun: 'Letzte Sammelausstellung',
    noRun: 'Noch keine Sammelausstellung.',
  },

  status: {
    none: 'Kein Zertifikat',
    rendering: 'In Arbeit',
    ready: 'Fertig',
    failed: 'Fehlgeschlagen',
    revoked: 'Widerrufen',
    superseded: 'Durch eine neuere Version ersetzt',
    valid: 'Gültig',
  },

  people: {
    title: 'Personen',
    speakers: 'Vortragende',
    participants: 'Teilnehmende',
    filter: 'Zertifikat',
    all: 'Alle',
    count: (shown: number, total: number) => `${shown} von ${total} angezeigt`,
    empty: 'Noch niemand hier. Fügen Sie Personen einzeln hinzu oder importieren Sie eine Tabelle.',
    add: 'Person hinzufügen',
    columns: {
      name: 'Name',
      email: 'E-Mail',
      role: 'Rolle',
      talk: 'Vortrag',
      status: 'Zertifikat',
      actions: 'Aktionen',
    },
    more: 'Mehr anzeigen',
    editTitle: 'Person bearbeiten',
    addTitle: 'Person hinzufügen',
    name: 'Name',
    email: 'E-Mail',
    talkTitle: 'Vortragstitel',
    role: 'Rolle',
    deleteConfirm: (name: string) =>
      `${name} löschen? Das Zertifikat wird widerrufen; die Verifizierungsseite zeigt das an.`,
    deleted: 'Die Person wurde gelöscht und ihr Zertifikat widerrufen.',
    saved: 'Gespeichert. Bei geändertem Namen oder Vortragstitel wird ein korrigiertes Zertifikat ausgestellt.',
    added: 'Hinzugefügt. Das Zertifikat wird gerade erstellt.',
    openCertificate: 'Zertifikat',
    notEligible: 'Noch nicht erworben',
    liveNote: 'Diese Liste aktualisiert sich von selbst, während Zertifikate erstellt werden.',
  },

  roles: {
    speaker: 'Referent',
    attendee: 'Teilnehmer',
    volunteer: 'Helfer',
    organizer: 'Organisator',
    reviewer: 'Gutachter',
    chair: 'Sitzungsleitung',
    sponsor: 'Sponsor',
    moderator: 'Moderator',
  },

  eligibility: {
    NO_ATTENDANCE: 'Noch kein Check-in erfasst.',
    TOO_FEW_CHECKINS: 'Weniger Check-ins, als die Rolle erfordert.',
    TOO_FEW_DAYS: 'An weniger Tagen anwesend, als die Rolle erfordert.',
    TOO_FEW_MINUTES: 'Weniger Minuten, als die Rolle erfordert.',
    TICKET_CANCELED: 'Das Ticket wurde storniert oder erstattet.',
    UNKNOWN_ROLE: 'Diese Rolle ist für die Veranstaltung nicht eingerichtet; dafür wird kein Zertifikat ausgestellt.',
  },

  failures: {
    FONT_INVALID:
      'Eine Schriftdatei der Vorlage kann nicht gelesen werden. Laden Sie eine gültige .ttf- oder .otf-Datei mit der Vorlage hoch und versuchen Sie es erneut.',
    NOT_INITIALIZED: 'Der Dienst startete gerade. Versuchen Sie es gleich noch einmal.',
    EVENT_NOT_FOUND: 'Die Veranstaltung existiert nicht mehr.',
    RETRY_EXHAUSTED: 'Speicher oder Datenbank haben zu lange nicht geantwortet. Versuchen Sie es erneut.',
    RUN_IN_PROGRESS:
      'Eine andere Massenausstellung dieser Veranstaltung ist noch nicht fertig. Warten Sie darauf und starten Sie dann neu.',
    MISSING_FIELD:
      'Der Vorlage fehlt ein Wert (unten): die der Veranstaltung unter Einstellungen, die der Person unter Bearbeiten. Ergänzen Sie ihn und versuchen Sie es erneut.',
    INVALID_DATA:
      'Ein Wert dieser Person lässt sich so nicht drucken (zu lang oder kein Text). Korrigieren Sie ihn und versuchen Sie es erneut.',
    FONT_MISSING_GLYPHS:
      'Die Schriftarten der Vorlage enthalten für einen Teil dieses Namens keine Zeichen. Laden Sie mit der Vorlage eine Schriftart hoch, die dieses Schriftsystem abdeckt, und versuchen Sie es erneut.',
    TEMPLATE_PARSE:
      'Die Vorlage ist keine gültige SVG-Datei. Öffnen Sie sie in Ihrem Grafikprogramm, speichern Sie sie erneut als SVG und laden Sie sie hoch.',
    TEMPLATE_INVALID:
      'Die Vorlage kann so nicht verwendet werden. Prüfen Sie sie auf der Seite „Vorlage“; dort steht, was zu ändern ist.',
    TEMPLATE_NOT_FOUND: 'Die Vorlage der Veranstaltung fehlt. Wählen Sie auf der Seite „Vorlage“ eine aus.',
    LIMIT_EXCEEDED:
      'Die Vorlage oder ihre Bilder sind größer, als certforge zulässt. Verkleinern Sie sie und versuchen Sie es erneut.',
    EXTERNAL_REFERENCE:
      'Die Vorlage verweist auf eine Datei im Internet. Betten Sie das Bild oder die Schriftart stattdessen in die Vorlage ein.',
    UNSUPPORTED_CONTENT:
      'Die Vorlage enthält etwas, das certforge nicht darstellen kann. Die Seite „Vorlage“ zeigt, welchen Teil.',
    RATE_LIMITED: 'Für diese Person wurden heute zu oft Zertifikate neu erstellt. Versuchen Sie es morgen erneut.',
    NOT_ELIGIBLE: 'Diese Person hat das Zertifikat noch nicht erworben.',
    UNAVAILABLE: 'Speicher oder Datenbank haben nicht rechtzeitig geantwortet. Versuchen Sie es gleich noch einmal.',
    RENDER_FAILED:
      'Das Erstellen des Zertifikats ist bei uns fehlgeschlagen. Versuchen Sie es erneut; falls es wieder fehlschlägt, melden Sie es mit dem Code unten.',
    INTERNAL:
      'Bei uns ist etwas schiefgegangen. Versuchen Sie es erneut; falls es wieder fehlschlägt, melden Sie es mit dem Code unten.',
  },
  failureFields: 'Fehlt:',
  failureCharacters: 'Zeichen, die keine Schrift hat:',
  failureOther: 'Das Zertifikat konnte nicht erstellt werden. Die Meldung unten nennt den Grund.',
  failureCode: (code: string) => `Code: ${code}`,

  importPage: {
    title: 'Tabelle importieren',
    intro:
      'CSV, TSV, Excel (.xlsx) oder JSON sowie die Exporte von Zoom, Eventbrite, Indico, pretix und pretalx. Es wird nichts gespeichert, bevor Sie den Import starten.',
    file: 'Datei',
    role: 'Importieren als',
    preview: 'Datei prüfen',
    checking: 'Datei wird gelesen…',
    mappingTitle: 'Spalten',
    applyMapping: 'Datei mit diesen Spalten neu lesen',
    mappingIntro:
      'So wird jede Spalte gelesen. Ändern Sie eine Spalte, um sie anders zu lesen, und prüfen Sie dann erneut.',
    header: 'Spalte',
    readAs: 'Lesen als',
    auto: 'Automatisch',
    choices: {
      name: 'Vollständiger Name',
      given: 'Vorname',
      family: 'Nachname',
      email: 'E-Mail',
      'talk.title': 'Vortragstitel',
      id: 'Kennung',
      role: 'Rolle',
      ignore: 'Nicht importieren',
    },
    firstRows: 'Erste Zeilen',
    line: 'Zeile',
    summary: (total: number, accepted: number, rejected: number) =>
      `Zeilen: ${total}. Werden importiert: ${accepted}. Werden abgelehnt: ${rejected}.`,
    rejectedTitle: 'Zeilen, die abgelehnt werden',
    reason: 'Grund',
    start: 'Importieren',
    started: 'Der Import wurde gestartet. Sein Bericht erscheint unten, sobald er fertig ist.',
    reportsTitle: 'Importe',
    noReports: 'Noch keine Importe.',
    reportLine: (created: number, updated: number, unchanged: number, rejected: number) =>
      `Hinzugefügt: ${created}, aktualisiert: ${updated}, unverändert: ${unchanged}, abgelehnt: ${rejected}`,
    importStatus: { running: 'Läuft', done: 'Fertig', rejected: 'Abgelehnt', failed: 'Fehlgeschlagen' },
    rowProblems: {
      TOO_MANY_CELLS:
        'Diese Zeile hat mehr Zellen als die Kopfzeile: Ein Wert mit Komma oder Semikolon muss in Anführungszeichen stehen.',
      CONTROL_CHARACTER: 'Eine Zelle enthält ein unsichtbares Steuerzeichen. Geben Sie den Wert neu ein.',
      REPLACEMENT_CHARACTER:
        'Eine Zelle enthält „�“: Beim Speichern der Datei sind Buchstaben verloren gegangen. Exportieren Sie sie erneut als UTF-8.',
      INVALID_ID: 'Die Kennung ist nicht verwendbar (1–128 Zeichen, kein „/“ und keine Leerzeichen).',
      MISSING_NAME: 'Der Name ist leer.',
      NAME_TOO_LONG: 'Der Name ist zu lang.',
      INVALID_EMAIL: 'Die E-Mail-Adresse ist ungültig.',
      EMAIL_TOO_LONG: 'Die E-Mail-Adresse ist zu lang.',
      TALK_TITLE_TOO_LONG: 'Der Vortragstitel ist zu lang.',
      FIELD_TOO_LONG: 'Ein Wert ist zu lang.',
      DUPLICATE_SPEAKER: 'Dieselbe Person steht bereits in einer früheren Zeile.',
      WRITE_FAILED: 'Diese Person konnte nicht gespeichert werden. Importieren Sie die Datei erneut.',
    },
    fileProblems: {
      FILE_TOO_LARGE: 'Die Datei ist zu groß. Teilen Sie sie in mehrere Dateien auf.',
      EMPTY_FILE: 'Die Datei ist leer.',
      NOT_UTF8:
        'Die Datei ist nicht in UTF-8. Wählen Sie in Excel beim Speichern „CSV UTF-8“ oder laden Sie direkt die .xlsx-Datei hoch.',
      MALFORMED_CSV:
        'Die CSV-Datei lässt sich ab einer Stelle nicht lesen, meist wegen eines Anführungszeichens, das nie geschlossen wird.',
      MALFORMED_FILE: 'Die Datei ist beschädigt oder nicht das, was ihr Name angibt.',
      UNSUPPORTED_FORMAT: 'Diese Art von Datei kann nicht gelesen werden. Verwenden Sie CSV, TSV, .xlsx oder JSON.',
      MISSING_NAME_COLUMN:
        'Keine Spalte enthält die Namen. Wählen Sie für eine Spalte „Vollständiger Name“ (oder Vor- und Nachname).',
      DUPLICATE_COLUMN: 'Zwei Spalten liefern dasselbe Feld. Stellen Sie eine davon auf „Nicht importieren“.',
      TOO_MANY_COLUMNS: 'Die Datei hat zu viele Spalten.',
      NO_DATA_ROWS: 'Die Datei hat eine Kopfzeile, aber keine Zeilen.',
      TOO_MANY_ROWS: 'Die Datei hat zu viele Zeilen. Teilen Sie sie in mehrere Dateien auf.',
      EVENT_NOT_FOUND: 'Die Veranstaltung existiert nicht mehr.',
      RETRY_EXHAUSTED: 'Der Dienst hat nicht rechtzeitig geantwortet. Laden Sie die Datei erneut hoch.',
      INTERNAL:
        'Bei uns ist etwas schiefgegangen. Laden Sie die Datei erneut hoch; falls es wieder fehlschlägt, melden Sie es.',
      REPORT_WRITE_FAILED:
        'Die Personen wurden importiert, aber die Liste der abgelehnten Zeilen konnte nicht gespeichert werden.',
    },
    fileRejected: 'Die Datei kann nicht importiert werden:',
  },

  issuePage: {
    title: 'Zertifikate ausstellen',
    intro:
      'Zertifikate werden automatisch erstellt, wenn Personen hinzugefügt werden. Eine Sammelausstellung erstellt die fehlenden für alle Personen einer Rolle; mit „erneut“ erhalten alle eine neue Version.',
    role: 'Rolle',
    force: 'Für alle erneut erstellen (neue Versionen; die alten zeigen an, dass sie ersetzt wurden)',
    renew: 'Erneuern: neue Fassungen, deren Gültigkeit heute beginnt (die alten zeigen, dass sie ersetzt wurden)',
    start: 'Starten',
    starting: 'Wird gestartet…',
    started: (n: number) => `Gestartet. Zu erstellende Zertifikate: ${n}.`,
    progress: (done: number, total: number) => `${done} von ${total}`,
    runLine: (ready: number, failed: number, skipped: number) =>
      `Fertig: ${ready}, fehlgeschlagen: ${failed}, übersprungen: ${skipped}`,
    finished: 'Abgeschlossen.',
    failuresTitle: 'Fehlgeschlagene Zertifikate',
    noFailures: 'Keine Fehler.',
    retryOne: 'Erneut versuchen',
    retried: 'Neu erstellt.',
    bundleTitle: 'Druckpaket',
    bundleIntro: 'Alle fertigen Zertifikate in einem PDF, nach Namen sortiert, zum Drucken.',
    bundle: 'Druckpaket erstellen',
    building: 'Wird erstellt…',
    bundleReady: (n: number) => `Das Druckpaket ist fertig (Zertifikate: ${n}).`,
    zipIntro: 'Oder jedes Zertifikat als eigene PDF-Datei, alle in einer ZIP-Datei.',
    zip: 'ZIP aller PDFs erstellen',
    zipReady: (n: number) => `Die ZIP-Datei mit ${n} Zertifikaten ist bereit.`,
    download: 'Herunterladen',
  },

  templatePage: {
    title: 'Vorlage',
    current: 'Aktiv',
    bundled: 'Vorlagen von certforge',
    uploaded: 'Hochgeladene Vorlagen',
    use: 'Für diese Veranstaltung verwenden',
    inUse: 'Aktiv',
    uploadTitle: 'Vorlage hochladen',
    uploadIntro:
      'Ein SVG aus Inkscape, Illustrator, Figma oder Affinity mit {{name}} und den anderen Feldern an den Stellen, an denen die Werte stehen sollen, dazu die verwendeten Schriftdateien. Jeder Upload ist eine neue Version: Bereits ausgestellte Zertifikate behalten ihre.',
    svgFile: 'SVG-Datei',
    fontFiles: 'Schriftdateien (.ttf, .otf)',
    upload: 'Hochladen',
    uploaded_ok: 'Hochgeladen. Prüfen Sie die Vorschauen und verwenden Sie die Vorlage dann für die Veranstaltung.',
    previewTitle: 'Vorschau',
    previewIntro: 'Die Vorlage mit Beispieldaten: die längsten Namen und Namen in anderen Schriftsystemen.',
    forRole: 'Verwendet für',
    everyRole: 'Alle Rollen (die Vorlage der Veranstaltung)',
    fields: 'Felder, die sie füllt',
    page: (w: number, h: number) => `Seite: ${w} × ${h} mm`,
    sample: 'Beispiel',
    checkTitle: 'Prüfung',
    checkOk: 'Keine Probleme mit diesem Beispiel.',
    renderFailed: 'Dieses Beispiel kann nicht erstellt werden:',
    warnings: {
      FIT_BELOW_MIN_SIZE:
        'Ein Text musste kleiner als seine Mindestgröße gesetzt werden, um in seinen Rahmen zu passen. Geben Sie ihm einen breiteren Rahmen oder eine kleinere Mindestgröße.',
      FONT_SUBSTITUTED:
        'Eine Schrift, die die Vorlage nennt, wurde nicht mitgeliefert; eine ähnliche hat den Text gesetzt. Laden Sie die Schrift mit der Vorlage hoch, um sie genau zu drucken.',
      FONT_INVALID:
        'Eine Schriftdatei konnte nicht gelesen werden und wurde weggelassen. Laden Sie eine gültige .ttf- oder .otf-Datei hoch.',
      ELEMENT_DROPPED:
        'Ein Teil der Zeichnung kann nicht gedruckt werden und wird weggelassen. Wandeln Sie ihn in Ihrem Zeichenprogramm in gewöhnliche Formen oder Text um.',
      EXTERNAL_REFERENCE_DROPPED:
        'Die Vorlage verweist auf eine Datei im Internet, die certforge nie abruft. Betten Sie das Bild oder die Schrift in das SVG ein.',
      FIT_IGNORED:
        'Ein Feld teilt sich seinen Text mit anderen Wörtern und kann daher nicht in einen Rahmen eingepasst werden. Geben Sie dem Feld eine eigene Textzeile.',
      PREVIEW_DOWNSCALED: 'Das Vorschaubild wurde kleiner als angefordert erstellt; das PDF ist davon nicht betroffen.',
    },
    warningOther: (code: string) => `Warnung ${code}.`,
  },

  certificatePage: {
    title: 'Zertifikat',
    recipient: 'Verliehen an',
    talk: 'Vortrag',
    issuedOn: 'Ausgestellt am',
    status: 'Status',
    verifyLink: 'Verifizierungsseite',
    qrLabel: 'QR-Code der Verifizierungsseite',
    copy: 'Link kopieren',
    copied: 'Kopiert.',
    history: 'Versionen',
    version: (n: number) => `Version ${n}`,
    current: 'diese',
    revokedWith: (reason: string) => `Widerrufen: ${reason}`,
    revokeTitle: 'Widerrufen',
    revokeReason: 'Grund (wird auf der Verifizierungsseite angezeigt)',
    revoke: 'Dieses Zertifikat widerrufen',
    revoked: 'Das Zertifikat ist widerrufen.',
    reissueTitle: 'Erneut ausstellen',
    reissueIntro:
      'Erstellt eine neue Version aus den aktuellen Daten der Person; diese Version zeigt dann an, dass sie ersetzt wurde.',
    reissue: 'Neue Version ausstellen',
    reissued: 'Eine neue Version wurde ausgestellt.',
    template: 'Vorlage',
  },

  errors: {
    unauthenticated: 'Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an.',
    'permission-denied': 'Sie sind nicht als Veranstalter dieser Veranstaltung eingetragen.',
    'not-found': 'Das gibt es nicht (mehr).',
    'invalid-argument': 'Im Formular stimmt etwas nicht:',
    'failed-precondition': 'Das ist gerade nicht möglich:',
    'resource-exhausted': 'Ein Limit wurde erreicht. Versuchen Sie es später erneut:',
    aborted: 'Gerade läuft ein anderer Vorgang. Versuchen Sie es erneut, wenn er abgeschlossen ist:',
    unavailable: 'Der Dienst ist nicht erreichbar. Prüfen Sie die Verbindung und versuchen Sie es erneut.',
    internal: 'Bei uns ist etwas schiefgegangen. Versuchen Sie es später erneut.',
    other: 'Etwas ist schiefgegangen:',
  },

  notFound: 'Diese Seite gibt es nicht.',
  home: 'Zurück zu Ihren Veranstaltungen',
};

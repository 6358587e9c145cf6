/** The console's French text (messages/en.ts is the shape). */
import type { ConsoleMessages } from './en.js';

export const fr: ConsoleMessages = {
  dir: 'ltr',
  brand: 'certforge',
  consoleName: 'Espace organisateur',
  skip: 'Aller au contenu',
  language: 'Langue',
  loading: 'Chargement…',
  save: 'Enregistrer',
  saving: 'Enregistrement…',
  cancel: 'Annuler',
  close: 'Fermer',
  edit: 'Modifier',
  delete: 'Supprimer',
  back: 'Retour',
  retry: 'Réessayer',
  yes: 'Oui',
  no: 'Non',
  optional: '(facultatif)',
  notSet: 'non renseigné',
  signOut: 'Se déconnecter',
  signedInAs: (email: string) => `Connecté en tant que ${email}`,

  signIn: {
    title: 'Connectez-vous à l’espace organisateur',
    intro: 'Connectez-vous pour créer des événements, importer des personnes et délivrer leurs certificats.',
    email: 'E-mail',
    password: 'Mot de passe',
    submit: 'Se connecter',
    createAccount: 'Créer un compte',
    createAccountSubmit: 'Créer le compte',
    haveAccount: 'J’ai déjà un compte',
    orDivider: 'ou',
    emailLink: 'Recevoir un lien de connexion par e-mail',
    emailLinkSent: (email: string) => `Nous avons envoyé un lien de connexion à ${email}. Ouvrez-le sur cet appareil.`,
    emailLinkConfirm: 'Confirmez l’adresse e-mail pour laquelle vous avez demandé le lien.',
    emailLinkFinish: 'Terminer la connexion',
    google: 'Se connecter avec Google',
    errors: {
      invalidCredential: 'L’e-mail ou le mot de passe est incorrect.',
      emailInUse: 'Un compte existe déjà avec cet e-mail : connectez-vous plutôt.',
      weakPassword: 'Choisissez un mot de passe d’au moins 6 caractères.',
      invalidEmail: 'Ce n’est pas une adresse e-mail.',
      tooManyRequests: 'Trop de tentatives. Attendez une minute, puis réessayez.',
      popupClosed: 'La fenêtre de connexion a été fermée avant la fin de la connexion.',
      googleUnavailable:
        'La connexion Google n’a pas pu être chargée. Vérifiez la connexion ou connectez-vous avec votre e-mail.',
      network: 'Impossible de joindre le service. Vérifiez la connexion, puis réessayez.',
      other: (code: string) => `La connexion a échoué (${code}).`,
    },
  },

  nav: {
    events: 'Événements',
    overview: 'Vue d’ensemble',
    people: 'Personnes',
    import: 'Importer',
    issue: 'Délivrer',
    template: 'Modèle',
    settings: 'Paramètres',

    corrections: 'Corrections',
  },

  events: {
    title: 'Vos événements',
    empty: 'Vous n’avez encore aucun événement. Créez-en un pour commencer.',
    create: 'Nouvel événement',
    columns: { name: 'Événement', date: 'Date', place: 'Lieu' },
    open: (name: string) => `Ouvrir ${name}`,
  },

  eventForm: {
    createTitle: 'Nouvel événement',
    editTitle: 'Paramètres de l’événement',
    name: 'Nom',
    nameHint: 'Tel qu’imprimé sur les certificats.',
    date: 'Date',
    dateHint:
      'Une date (imprimée dans la langue du certificat) ou n’importe quel texte, comme « du 12 au 14 mars 2026 ».',
    place: 'Lieu',
    locale: 'Langue du certificat',
    localeHint:
      'La langue dans laquelle les dates sont imprimées, et celle qu’utilise par défaut la page de vérification.',
    timeZone: 'Fuseau horaire',
    timeZoneHint: 'Les check-ins sont comptés en jours de ce fuseau horaire, par exemple Europe/Paris.',
    issuer: 'Délivré par',
    issuerHint: 'L’organisation qui délivre les certificats. Si vide : le nom de l’événement.',
    emailOnIssue: 'Envoyer chaque certificat par e-mail à son destinataire dès qu’il est prêt',
    offerPdf: 'Proposer le PDF en téléchargement sur la page de vérification',
    validityMonths: 'Certificats valides pendant (mois)',
    validityMonthsHint:
      'Vide : ils n’expirent pas. Ensuite, la page de vérification indique « expiré » ; renouvelez-les sous Délivrer.',
    signatories: 'Signataires',
    signatoryName: 'Nom',
    signatoryRole: 'Fonction',
    addSignatory: 'Ajouter un signataire',
    removeSignatory: (n: number) => `Retirer le signataire ${n}`,
    created: 'L’événement a été créé.',
    saved: 'Les modifications ont été enregistrées.',
  },

  corrections: {
    title: 'Demandes de correction',
    intro:
      'Les personnes qui trouvent une erreur dans leur nom ou le titre de leur intervention demandent une correction depuis la page de leur certificat. Approuvez pour délivrer la version corrigée ; refusez pour garder le certificat tel quel.',
    empty: 'Aucune demande de correction.',
    status: {
      pending: 'En attente',
      approved: 'Approuvée',
      declined: 'Refusée',
      outdated: 'Obsolète : le certificat a changé depuis',
    },
    current: 'Sur le certificat',
    requested: 'Demandé',
    name: 'Nom',
    talkTitle: 'Titre de l’intervention',
    note: 'Sa remarque',
    approve: 'Approuver : délivrer la version corrigée',
    decline: 'Refuser',
    reason: 'Motif, montré à la personne (facultatif)',
    requestedOn: 'Demandé le',
  },

  correction: {
    title: 'Demander une correction',
    intro:
      'Si votre nom ou le titre de votre intervention est erroné sur ce certificat, indiquez à l’organisateur ce qu’il doit être. Il décide ; s’il approuve, un certificat corrigé remplace celui-ci.',
    onCertificate: 'Sur votre certificat',
    newName: 'Votre nom tel qu’il doit être',
    newTalkTitle: 'Le titre de votre intervention tel qu’il doit être',
    note: 'Une remarque pour l’organisateur (facultatif)',
    submit: 'Envoyer à l’organisateur',
    sent: 'Envoyé. L’organisateur décidera ; revenez sur cette page pour voir sa réponse.',
    pending: 'Votre demande attend la décision de l’organisateur.',
    approved: 'L’organisateur a approuvé votre demande : un certificat corrigé remplace celui-ci.',
    declined: 'L’organisateur a refusé votre demande.',
    reason: 'Son motif :',
    notAllowed:
      'Seule la personne à qui ce certificat a été délivré peut en demander la correction : connectez-vous avec l’adresse e-mail à laquelle il a été envoyé.',
  },

  organizers: {
    title: 'Organisateurs',
    intro:
      'Toutes les personnes de cette liste peuvent voir et modifier cet événement, ses participants et ses certificats.',
    you: '(vous)',
    remove: 'Retirer',
    add: 'Ajouter un organisateur',
    email: 'Son e-mail de connexion',
    addSubmit: 'Ajouter',
    notFound: (email: string) =>
      `Personne ne se connecte encore en tant que ${email}. Demandez-lui de se connecter une fois à la console, puis ajoutez-le.`,
    unknownUser: 'un compte qui n’existe plus',
  },

  deleteEvent: {
    title: 'Supprimer cet événement',
    warning:
      'Supprimer l’événement révoque tous les certificats qu’il a délivrés (leurs pages de vérification l’indiqueront) et efface ses personnes, imports, modèles et fichiers. Cette action est irréversible.',
    confirmLabel: (name: string) => `Saisissez le nom de l’événement, « ${name} », pour confirmer`,
    submit: 'Supprimer l’événement et révoquer ses certificats',
    mismatch: 'Le nom saisi n’est pas celui de l’événement.',
    done: 'L’événement a été supprimé.',
  },

  overview: {
    title: 'Vue d’ensemble',
    people: 'Personnes',
    speakers: 'Intervenants',
    participants: 'Participants',
    ready: 'Prêts',
    rendering: 'En cours de création',
    failed: 'En échec',
    revoked: 'Révoqués',
    views: 'Vues de la page de vérification',
    downloads: 'Téléchargements du PDF',
    linkedIn: 'Ajoutés à LinkedIn',
    statsNote: 'Compté par certforge jour par jour, sans cookies ni traceur tiers.',
    lastRun: 'Dernière délivrance groupée',
    noRun: 'Aucune délivrance groupée pour l’instant.',
  },

  status: {
    none: 'Aucun certificat',
    rendering: 'En cours de création',
    ready: 'Prêt',
    failed: 'En échec',
    revoked: 'Révoqué',
    superseded: 'Remplacé par une version plus récente',
    valid: 'Valide',
  },

  people: {
    title: 'Personnes',
    speakers: 'Intervenants',
    participants: 'Participants',
    filter: 'Certificat',
    all: 'Tous',
    count: (shown: number, total: number) => `Affichage : ${shown} sur ${total}`,
    empty: 'Personne pour l’instant. Ajoutez des personnes une par une ou importez un tableur.',
    add: 'Ajouter une personne',
    columns: {
      name: 'Nom',
      email: 'E-mail',
      role: 'Rôle',
      talk: 'Intervention',
      status: 'Certificat',
      actions: 'Actions',
    },
    more: 'Afficher plus',
    editTitle: 'Modifier la personne',
    addTitle: 'Ajouter une personne',
    name: 'Nom',
    email: 'E-mail',
    talkTitle: 'Titre de l’intervention',
    role: 'Rôle',
    deleteConfirm: (name: string) =>
      `Supprimer ${name} ? Son certificat sera révoqué ; la page de vérification l’indiquera.`,
    deleted: 'La personne a été supprimée et son certificat révoqué.',
    saved: 'Enregistré. Si le nom ou le titre de l’intervention change, un certificat corrigé est délivré.',
    added: 'Ajoutée. Son certificat est en cours de création.',
    openCertificate: 'Certificat',
    notEligible: 'Pas encore obtenu',
    liveNote: 'Cette liste se met à jour toute seule pendant la création des certificats.',
  },

  roles: {
    speaker: 'Intervenant',
    attendee: 'Participant',
    volunteer: 'Bénévole',
    organizer: 'Organisateur',
    reviewer: 'Relecteur',
    chair: 'Président de séance',
    sponsor: 'Sponsor',
    moderator: 'Modérateur',
  },

  eligibility: {
    NO_ATTENDANCE: 'Aucun check-in enregistré pour l’instant.',
    TOO_FEW_CHECKINS: 'Moins de check-ins que le rôle n’en exige.',
    TOO_FEW_DAYS: 'Présent moins de jours que le rôle ne l’exige.',
    TOO_FEW_MINUTES: 'Moins de minutes que le rôle n’en exige.',
    TICKET_CANCELED: 'Le billet a été annulé ou remboursé.',
    UNKNOWN_ROLE: 'Ce rôle n’est pas configuré pour l’événement ; aucun certificat n’est délivré pour lui.',
  },

  failures: {
    FONT_INVALID:
      'Un des fichiers de police du modèle est illisible. Envoyez un fichier .ttf ou .otf valide avec le modèle, puis réessayez.',
    NOT_INITIALIZED: 'Le service démarrait. Réessayez dans un instant.',
    EVENT_NOT_FOUND: 'L’événement n’existe plus.',
    RETRY_EXHAUSTED: 'Le stockage ou la base de données n’a pas répondu pendant trop longtemps. Réessayez.',
    RUN_IN_PROGRESS: 'Une autre émission groupée de cet événement n’est pas terminée. Attendez sa fin, puis relancez.',
    MISSING_FIELD:
      'Il manque une valeur au modèle (ci-dessous) : celles de l’événement dans Paramètres, celles de la personne dans Modifier. Complétez-la, puis réessayez.',
    INVALID_DATA:
      'Une valeur de cette personne ne peut pas être imprimée telle quelle (trop longue ou pas du texte). Corrigez-la, puis réessayez.',
    FONT_MISSING_GLYPHS:
      'Les polices du modèle n’ont pas de caractères pour une partie de ce nom. Envoyez avec le modèle une police qui couvre cette écriture, puis réessayez.',
    TEMPLATE_PARSE:
      'Le modèle n’est pas un fichier SVG valide. Ouvrez-le dans votre logiciel de dessin, enregistrez-le à nouveau en SVG et envoyez-le.',
    TEMPLATE_INVALID:
      'Le modèle ne peut pas être utilisé tel quel. Vérifiez-le sur la page Modèle, qui indique quoi changer.',
    TEMPLATE_NOT_FOUND: 'Le modèle de l’événement est introuvable. Choisissez un modèle sur la page Modèle.',
    LIMIT_EXCEEDED: 'Le modèle ou ses images dépassent la taille acceptée par certforge. Réduisez-les, puis réessayez.',
    EXTERNAL_REFERENCE:
      'Le modèle renvoie à un fichier sur Internet. Intégrez plutôt l’image ou la police dans le modèle.',
    UNSUPPORTED_CONTENT:
      'Le modèle utilise un élément que certforge ne sait pas dessiner. La page Modèle indique lequel.',
    RATE_LIMITED: 'Trop de certificats ont été recréés pour cette personne aujourd’hui. Réessayez demain.',
    NOT_ELIGIBLE: 'Cette personne n’a pas encore obtenu le certificat.',
    UNAVAILABLE: 'Le stockage ou la base de données n’a pas répondu à temps. Réessayez dans un instant.',
    RENDER_FAILED:
      'La création du certificat a échoué de notre côté. Réessayez ; en cas de nouvel échec, signalez-le avec le code ci-dessous.',
    INTERNAL:
      'Une erreur s’est produite de notre côté. Réessayez ; en cas de nouvel échec, signalez-la avec le code ci-dessous.',
  },
  failureFields: 'Manquant :',
  failureCharacters: 'Lettres absentes des polices :',
  failureOther: 'Le certificat n’a pas pu être créé. Le message ci-dessous explique pourquoi.',
  failureCode: (code: string) => `Code : ${code}`,

  importPage: {
    title: 'Importer un tableur',
    intro:
      'CSV, TSV, Excel (.xlsx) ou JSON, ainsi que les exports de Zoom, Eventbrite, Indico, pretix et pretalx. Rien n’est enregistré tant que vous n’avez pas lancé l’import.',
    file: 'Fichier',
    role: 'Importer en tant que',
    preview: 'Vérifier le fichier',
    checking: 'Lecture du fichier…',
    mappingTitle: 'Colonnes',
    applyMapping: 'Relire le fichier avec ces colonnes',
    mappingIntro:
      'La façon dont chaque colonne est lue. Modifiez une colonne pour la lire autrement, puis vérifiez à nouveau.',
    header: 'Colonne',
    readAs: 'Lire comme',
    auto: 'Automatique',
    choices: {
      name: 'Nom complet',
      given: 'Prénom',
      family: 'Nom de famille',
      email: 'E-mail',
      'talk.title': 'Titre de l’intervention',
      id: 'Identifiant',
      role: 'Rôle',
      ignore: 'Ne pas importer',
    },
    firstRows: 'Premières lignes',
    line: 'Ligne',
    summary: (total: number, accepted: number, rejected: number) =>
      `Lignes : ${total}. À importer : ${accepted}. À rejeter : ${rejected}.`,
    rejectedTitle: 'Lignes qui seront rejetées',
    reason: 'Motif',
    start: 'Importer',
    started: 'L’import a commencé. Son rapport s’affichera ci-dessous une fois terminé.',
    reportsTitle: 'Imports',
    noReports: 'Aucun import pour l’instant.',
    reportLine: (created: number, updated: number, unchanged: number, rejected: number) =>
      `Ajoutées : ${created}, mises à jour : ${updated}, inchangées : ${unchanged}, rejetées : ${rejected}`,
    importStatus: { running: 'En cours', done: 'Terminé', rejected: 'Rejeté', failed: 'En échec' },
    rowProblems: {
      TOO_MANY_CELLS:
        'Cette ligne a plus de cellules que l’en-tête : une valeur qui contient une virgule ou un point-virgule doit être entre guillemets.',
      CONTROL_CHARACTER: 'Une cellule contient un caractère de contrôle invisible. Saisissez à nouveau la valeur.',
      REPLACEMENT_CHARACTER:
        'Une cellule contient « � » : des lettres ont été perdues à l’enregistrement du fichier. Exportez-le à nouveau en UTF-8.',
      INVALID_ID: 'L’identifiant n’est pas utilisable (1 à 128 caractères, sans « / » ni espaces).',
      MISSING_NAME: 'Le nom est vide.',
      NAME_TOO_LONG: 'Le nom est trop long.',
      INVALID_EMAIL: 'L’adresse e-mail n’est pas valide.',
      EMAIL_TOO_LONG: 'L’adresse e-mail est trop longue.',
      TALK_TITLE_TOO_LONG: 'Le titre de l’intervention est trop long.',
      FIELD_TOO_LONG: 'Une valeur est trop longue.',
      DUPLICATE_SPEAKER: 'La même personne figure sur une ligne précédente.',
      WRITE_FAILED: 'Cette personne n’a pas pu être enregistrée. Importez à nouveau le fichier.',
    },
    fileProblems: {
      FILE_TOO_LARGE: 'Le fichier est trop volumineux. Divisez-le en plusieurs fichiers.',
      EMPTY_FILE: 'Le fichier est vide.',
      NOT_UTF8:
        'Le fichier n’est pas en UTF-8. Dans Excel, choisissez « CSV UTF-8 » à l’enregistrement, ou envoyez directement le fichier .xlsx.',
      MALFORMED_CSV:
        'Le CSV ne peut pas être lu au-delà d’un certain point, en général à cause d’un guillemet jamais fermé.',
      MALFORMED_FILE: 'Le fichier est endommagé ou ne correspond pas à ce qu’indique son nom.',
      UNSUPPORTED_FORMAT: 'Ce type de fichier ne peut pas être lu. Utilisez CSV, TSV, .xlsx ou JSON.',
      MISSING_NAME_COLUMN:
        'Aucune colonne ne contient les noms. Choisissez « Nom complet » (ou prénom et nom de famille) pour une colonne.',
      DUPLICATE_COLUMN: 'Deux colonnes fournissent le même champ. Réglez l’une d’elles sur « Ne pas importer ».',
      TOO_MANY_COLUMNS: 'Le fichier a trop de colonnes.',
      NO_DATA_ROWS: 'Le fichier a un en-tête, mais aucune ligne.',
      TOO_MANY_ROWS: 'Le fichier a trop de lignes. Divisez-le en plusieurs fichiers.',
      EVENT_NOT_FOUND: 'L’événement n’existe plus.',
      RETRY_EXHAUSTED: 'Le service n’a pas répondu à temps. Envoyez à nouveau le fichier.',
      INTERNAL:
        'Une erreur s’est produite de notre côté. Envoyez à nouveau le fichier ; en cas de nouvel échec, signalez-la.',
      REPORT_WRITE_FAILED:
        'Les personnes ont été importées, mais la liste des lignes rejetées n’a pas pu être conservée.',
    },
    fileRejected: 'Le fichier ne peut pas être importé :',
  },

  issuePage: {
    title: 'Délivrer les certificats',
    intro:
      'Les certificats sont créés automatiquement quand des personnes sont ajoutées. Une délivrance groupée crée ceux qui manquent pour toutes les personnes d’un rôle ; avec « à nouveau », tout le monde reçoit une nouvelle version.',
    role: 'Rôle',
    force:
      'Les créer à nouveau pour tout le monde (nouvelles versions ; les anciennes indiqueront qu’elles ont été remplacées)',
    renew:
      'Renouveler : de nouvelles versions dont la validité commence aujourd’hui (les anciennes indiquent qu’elles ont été remplacées)',
    start: 'Lancer',
    starting: 'Lancement…',
    started: (n: number) => `Lancé. Certificats à créer : ${n}.`,
    progress: (done: number, total: number) => `${done} sur ${total}`,
    runLine: (ready: number, failed: number, skipped: number) =>
      `Prêts : ${ready}, en échec : ${failed}, ignorés : ${skipped}`,
    finished: 'Terminé.',
    failuresTitle: 'Certificats en échec',
    noFailures: 'Aucun échec.',
    retryOne: 'Réessayer',
    retried: 'Recréé.',
    bundleTitle: 'Lot à imprimer',
    bundleIntro: 'Tous les certificats prêts dans un seul PDF, triés par nom, pour l’impression.',
    bundle: 'Générer le lot à imprimer',
    building: 'Génération…',
    bundleReady: (n: number) => `Le lot est prêt (certificats : ${n}).`,
    zipIntro: 'Ou chaque certificat dans son propre PDF, le tout dans un fichier ZIP.',
    zip: 'Créer le ZIP de tous les PDF',
    zipReady: (n: number) => `Le ZIP de ${n} certificats est prêt.`,
    download: 'Télécharger',
  },

  templatePage: {
    title: 'Modèle',
    current: 'Utilisé',
    bundled: 'Modèles de certforge',
    uploaded: 'Modèles envoyés',
    use: 'Utiliser pour cet événement',
    inUse: 'Utilisé',
    uploadTitle: 'Envoyer un modèle',
    uploadIntro:
      'Un SVG dessiné dans Inkscape, Illustrator, Figma ou Affinity, avec {{name}} et les autres champs là où vont les valeurs, ainsi que les fichiers des polices qu’il utilise. Chaque envoi crée une nouvelle version : les certificats déjà délivrés conservent la leur.',
    svgFile: 'Fichier SVG',
    fontFiles: 'Fichiers de police (.ttf, .otf)',
    upload: 'Envoyer',
    uploaded_ok: 'Envoyé. Vérifiez les aperçus, puis utilisez-le pour l’événement.',
    previewTitle: 'Aperçu',
    previewIntro: 'Le modèle avec des données d’exemple : les noms les plus longs et des noms dans d’autres écritures.',
    forRole: 'Utilisé pour',
    everyRole: 'Tous les rôles (le modèle de l’événement)',
    fields: 'Champs qu’il remplit',
    page: (w: number, h: number) => `Page : ${w} × ${h} mm`,
    sample: 'Exemple',
    checkTitle: 'Vérification',
    checkOk: 'Aucun problème avec cet exemple.',
    renderFailed: 'Cet exemple ne peut pas être créé :',
    warnings: {
      FIT_BELOW_MIN_SIZE:
        'Un texte a dû être réduit sous sa taille minimale pour tenir dans son cadre. Élargissez le cadre ou baissez la taille minimale.',
      FONT_SUBSTITUTED:
        'Une police citée par le modèle n’a pas été fournie ; une police proche a dessiné le texte. Envoyez la police avec le modèle pour l’imprimer à l’identique.',
      FONT_INVALID:
        'Un fichier de police n’a pas pu être lu et a été laissé de côté. Envoyez un fichier .ttf ou .otf valide.',
      ELEMENT_DROPPED:
        'Une partie du dessin ne peut pas être imprimée et est laissée de côté. Transformez-la en formes ou en texte ordinaires dans votre logiciel de dessin.',
      EXTERNAL_REFERENCE_DROPPED:
        'Le modèle renvoie à un fichier sur Internet, que certforge ne télécharge jamais. Intégrez l’image ou la police dans le SVG.',
      FIT_IGNORED:
        'Un champ partage son texte avec d’autres mots et ne peut pas être ajusté à un cadre. Mettez le champ sur sa propre ligne de texte.',
      PREVIEW_DOWNSCALED: 'L’image d’aperçu a été réduite par rapport à la demande ; le PDF n’est pas touché.',
    },
    warningOther: (code: string) => `Avertissement ${code}.`,
  },

  certificatePage: {
    title: 'Certificat',
    recipient: 'Décerné à',
    talk: 'Intervention',
    issuedOn: 'Délivré le',
    status: 'Statut',
    verifyLink: 'Page de vérification',
    qrLabel: 'QR code de la page de vérification',
    copy: 'Copier le lien',
    copied: 'Copié.',
    history: 'Versions',
    version: (n: number) => `Version ${n}`,
    current: 'celle-ci',
    revokedWith: (reason: string) => `Révoqué : ${reason}`,
    revokeTitle: 'Révoquer',
    revokeReason: 'Motif (affiché sur la page de vérification)',
    revoke: 'Révoquer ce certificat',
    revoked: 'Le certificat est révoqué.',
    reissueTitle: 'Délivrer à nouveau',
    reissueIntro:
      'Crée une nouvelle version à partir des données actuelles de la personne ; celle-ci indiquera qu’elle a été remplacée.',
    reissue: 'Délivrer une nouvelle version',
    reissued: 'Une nouvelle version a été délivrée.',
    template: 'Modèle',
  },

  errors: {
    unauthenticated: 'Votre session a expiré. Reconnectez-vous.',
    'permission-denied': 'Vous n’êtes pas organisateur de cet événement.',
    'not-found': 'Cet élément n’existe pas (ou plus).',
    'invalid-argument': 'Un élément du formulaire est incorrect :',
    'failed-precondition': 'Impossible pour le moment :',
    'resource-exhausted': 'Une limite a été atteinte. Réessayez plus tard :',
    aborted: 'Une autre opération est en cours. Réessayez quand elle sera terminée :',
    unavailable: 'Impossible de joindre le service. Vérifiez la connexion, puis réessayez.',
    internal: 'Une erreur s’est produite de notre côté. Réessayez plus tard.',
    other: 'Une erreur s’est produite :',
  },

  notFound: 'Cette page n’existe pas.',
  home: 'Retour à vos événements',
};

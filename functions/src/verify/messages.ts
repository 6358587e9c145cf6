/**
 * The verification page's interface in the reader's language: English, Spanish, Portuguese,
 * French, German, Arabic (right to left), Chinese (Simplified) and Japanese. The language comes
 * from the request's Accept-Language (q-values honoured, `pt-BR` → pt, `zh-TW` → zh), else the
 * event's locale, else English. Only the interface is translated: the certificate's own values
 * (name, talk, event, date as printed, place, issuer) are shown as issued, in their own language.
 * Dates the page writes itself (issued on, revoked on) are formatted with Intl in the page's
 * language. Every string here is plain text: html.ts escapes it.
 *
 * The errors the endpoint answers with are keyed from the error catalog (shared/error-catalog.ts
 * `messageKey`): errorMessage reads them.
 */
import { catalogEntry, type VerifyMessageKey } from '../shared/error-catalog.js';
import { LANGUAGES, negotiateLanguage, type Language } from '../shared/languages.js';

export const PAGE_LANGUAGES = LANGUAGES;
export type PageLanguage = Language;

export interface Messages {
  dir: 'ltr' | 'rtl';
  skip: string;
  brand: string;
  footer: string;
  badge: { valid: string; revoked: string; superseded: string; expired: string };
  heading: { valid: string; revoked: string; superseded: string; expired: string };
  titleStatus: { valid: string; revoked: string; superseded: string; expired: string };
  titlePrefix: { notChecked: string; matches: string; noMatch: string };
  unknownDate: string;
  issuedByOn: (issuer: string, date: string) => string;
  revokedOn: (date: string) => string;
  /** An expired certificate: valid until `date`, not revoked. */
  expiredOn: (date: string) => string;
  /** A valid certificate that expires: "Valid until <date>." */
  validUntil: (date: string) => string;
  reason: string;
  replacedOn: (date: string) => string;
  currentVersion: string;
  currentVersionRevoked: string;
  currentVersionMissing: string;
  roles: {
    Speaker: string;
    Attendee: string;
    Participant: string;
    Volunteer: string;
    Organizer: string;
    Reviewer: string;
    Chair: string;
    Sponsor: string;
    Moderator: string;
  };
  /** The attendance a certificate was issued for: "2 days, 185 minutes". */
  attendance: { label: string; value: (e: { days: number; minutes: number; checkins: number }) => string };
  detailsTitle: (role: string) => string;
  labels: {
    awardedTo: string;
    talk: string;
    event: string;
    date: string;
    place: string;
    issuedBy: string;
    issuedOn: string;
    certificateId: string;
    sha256: string;
    /** Who signed the PDF itself (PAdES), as a PDF reader shows it. */
    pdfSignedBy: string;
  };
  linkedIn: string;
  /** The recipient's link to ask the organizer for a correction. */
  askCorrection: string;
  previewAlt: (name: string) => string;
  credential: {
    title: string;
    intro: (issuer: string) => string;
    verified: string;
    signatureFailed: string;
    statusRevoked: string;
    uncheckable: string;
    none: string;
    download: string;
    downloadPdf: string;
    /** The badge image with the credential baked in, for wallets and backpacks that import images. */
    downloadBadgePng: string;
    downloadBadgeSvg: string;
  };
  check: {
    title: string;
    intro: string;
    notChecked: string;
    fileWhat: string;
    hashWhat: string;
    caveatRevoked: string;
    caveatReplaced: string;
    matchTitle: string;
    matchText: (what: string) => string;
    noMatchTitle: string;
    noMatchText: (what: string) => string;
    notPdf: string;
    itsHash: string;
    fileLabel: string;
    fileHint: (megabytes: number) => string;
    fileButton: string;
    hashLabel: string;
    hashHint: string;
    hashButton: string;
    problems: Record<string, string>;
  };
  notFound: { title: string; text: string };
  methodNotAllowed: { title: string; text: string };
  unavailable: { title: string; text: string };
}

const en: Messages = {
  dir: 'ltr',
  skip: 'Skip to the certificate',
  brand: 'Certificate verification',
  footer: 'Verification by certforge. This page shows what the certificate states and whether it is still valid.',
  badge: { valid: '✓ Valid', revoked: '✕ Revoked', superseded: '↻ Replaced', expired: '⌛ Expired' },
  heading: {
    valid: 'This certificate is valid',
    revoked: 'This certificate has been revoked',
    superseded: 'This certificate has been replaced by a corrected version',
    expired: 'This certificate has expired',
  },
  titleStatus: {
    valid: 'valid certificate',
    revoked: 'revoked certificate',
    superseded: 'replaced certificate',
    expired: 'expired certificate',
  },
  titlePrefix: { notChecked: 'PDF not checked – ', matches: 'PDF matches – ', noMatch: 'PDF does not match – ' },
  unknownDate: 'an unknown date',
  issuedByOn: (issuer, date) => `Issued by ${issuer} on ${date}. It has not been revoked or replaced.`,
  revokedOn: (date) => `Revoked on ${date}. It no longer certifies what it states.`,
  expiredOn: (date) => `It was valid until ${date}. It was not revoked: the period it was issued for has ended.`,
  validUntil: (date) => `Valid until ${date}.`,
  reason: 'Reason:',
  replacedOn: (date) => `A corrected version replaced it on ${date}. This version is no longer valid.`,
  currentVersion: 'View the current version of this certificate',
  currentVersionRevoked: '(that version has been revoked too)',
  currentVersionMissing: 'The current version could not be found.',
  roles: {
    Speaker: 'Speaker',
    Attendee: 'Attendee',
    Participant: 'Participant',
    Volunteer: 'Volunteer',
    Organizer: 'Organizer',
    Reviewer: 'Reviewer',
    Chair: 'Chair',
    Sponsor: 'Sponsor',
    Moderator: 'Moderator',
  },
  attendance: {
    label: 'Attendance',
    value: (e) =>
      [
        e.days ? (e.days === 1 ? `${e.days} day` : `${e.days} days`) : '',
        e.minutes ? `${e.minutes} minutes` : '',
        !e.days && !e.minutes && e.checkins ? 'checked in' : '',
      ]
        .filter(Boolean)
        .join(', '),
  },
  detailsTitle: (role) => `${role} certificate`,
  labels: {
    awardedTo: 'Awarded to',
    talk: 'Talk',
    event: 'Event',
    date: 'Date',
    place: 'Place',
    issuedBy: 'Issued by',
    issuedOn: 'Issued on',
    certificateId: 'Certificate ID',
    sha256: 'SHA-256 of the PDF',
    pdfSignedBy: 'PDF signed by',
  },
  linkedIn: 'Add to LinkedIn profile',
  askCorrection: 'Is your name or talk title wrong? Ask the organizer to correct it',
  previewAlt: (name) => `The certificate of ${name}`,
  credential: {
    title: 'Digital credential',
    intro: (issuer) =>
      `This certificate is also an Open Badges 3.0 credential signed by ${issuer}: digital wallets and registries can check it without this page.`,
    verified:
      '✓ The signature is valid, the signing key is published by the issuer, and the credential has not been revoked.',
    signatureFailed: '✕ The credential does not verify: its signature or the issuer’s key does not check out.',
    statusRevoked: '✕ The signature is valid, but the credential has been revoked or replaced.',
    uncheckable: 'The credential could not be checked just now. Please try again in a moment.',
    none: 'This certificate was issued before certificates carried a digital credential.',
    download: 'Download the credential (Open Badges 3.0, JSON)',
    downloadPdf: 'Download the certificate (PDF)',
    downloadBadgePng: 'Badge image for wallets (PNG)',
    downloadBadgeSvg: 'Badge image for wallets (SVG)',
  },
  check: {
    title: 'Check a PDF',
    intro:
      'Received this certificate as a PDF? Check that it is exactly the file that was issued. The file is only compared, never stored.',
    notChecked: 'The PDF could not be checked',
    fileWhat: 'The PDF you chose',
    hashWhat: 'The SHA-256 you gave',
    caveatRevoked: 'Note: this certificate has been revoked, so the PDF no longer certifies what it states.',
    caveatReplaced:
      'Note: this certificate has been replaced by a corrected version, so the PDF no longer certifies what it states.',
    matchTitle: '✓ Match: this is the issued PDF',
    matchText: (what) => `${what} is exactly the PDF issued with this certificate.`,
    noMatchTitle: '✕ No match: this is not the issued PDF',
    noMatchText: (what) =>
      `${what} does not match the PDF issued with this certificate. It may have been changed, or belong to another certificate.`,
    notPdf: 'The file is not a PDF.',
    itsHash: 'Its SHA-256:',
    fileLabel: 'Certificate PDF',
    fileHint: (mb) => `Up to ${mb} MB.`,
    fileButton: 'Check the PDF',
    hashLabel: 'Or its SHA-256',
    hashHint: '64 hexadecimal characters, e.g. from sha256sum certificate.pdf.',
    hashButton: 'Check the hash',
    // English shows the check's own message (upload.ts), which has the details.
    problems: {},
  },
  notFound: {
    title: 'Certificate not found',
    text: 'No certificate has this address. Check that it was typed exactly as printed on the certificate: the identifier is 22 characters long and is case-sensitive.',
  },
  methodNotAllowed: {
    title: 'Method not allowed',
    text: 'This address answers GET (the certificate) and POST (checking a PDF).',
  },
  unavailable: {
    title: 'Temporarily unavailable',
    text: 'The certificate could not be read just now. Please try again in a moment.',
  },
};

const es: Messages = {
  dir: 'ltr',
  skip: 'Ir al certificado',
  brand: 'Verificación de certificados',
  footer: 'Verificación de certforge. Esta página muestra lo que dice el certificado y si sigue siendo válido.',
  badge: { valid: '✓ Válido', revoked: '✕ Revocado', superseded: '↻ Sustituido', expired: '⌛ Caducado' },
  heading: {
    valid: 'Este certificado es válido',
    revoked: 'Este certificado ha sido revocado',
    superseded: 'Este certificado ha sido sustituido por una versión corregida',
    expired: 'Este certificado ha caducado',
  },
  titleStatus: {
    valid: 'certificado válido',
    revoked: 'certificado revocado',
    superseded: 'certificado sustituido',
    expired: 'certificado caducado',
  },
  titlePrefix: { notChecked: 'PDF no comprobado – ', matches: 'El PDF coincide – ', noMatch: 'El PDF no coincide – ' },
  unknownDate: 'una fecha desconocida',
  issuedByOn: (issuer, date) => `Emitido por ${issuer} el ${date}. No ha sido revocado ni sustituido.`,
  revokedOn: (date) => `Revocado el ${date}. Ya no certifica lo que indica.`,
  expiredOn: (date) => `Fue válido hasta el ${date}. No fue revocado: terminó el periodo para el que se emitió.`,
  validUntil: (date) => `Válido hasta el ${date}.`,
  reason: 'Motivo:',
  replacedOn: (date) => `Una versión corregida lo sustituyó el ${date}. Esta versión ya no es válida.`,
  currentVersion: 'Ver la versión actual de este certificado',
  currentVersionRevoked: '(esa versión también ha sido revocada)',
  currentVersionMissing: 'No se encontró la versión actual.',
  roles: {
    Speaker: 'Ponente',
    Attendee: 'Asistente',
    Participant: 'Participante',
    Volunteer: 'Voluntario/a',
    Organizer: 'Organizador/a',
    Reviewer: 'Revisor/a',
    Chair: 'Presidente/a',
    Sponsor: 'Patrocinador',
    Moderator: 'Moderador/a',
  },
  attendance: {
    label: 'Asistencia',
    value: (e) =>
      [
        e.days ? (e.days === 1 ? `${e.days} día` : `${e.days} días`) : '',
        e.minutes ? `${e.minutes} minutos` : '',
        !e.days && !e.minutes && e.checkins ? 'registrado' : '',
      ]
        .filter(Boolean)
        .join(', '),
  },
  detailsTitle: (role) => `Certificado de ${role.toLowerCase()}`,
  labels: {
    awardedTo: 'Otorgado a',
    talk: 'Charla',
    event: 'Evento',
    date: 'Fecha',
    place: 'Lugar',
    issuedBy: 'Emitido por',
    issuedOn: 'Fecha de emisión',
    certificateId: 'ID del certificado',
    sha256: 'SHA-256 del PDF',
    pdfSignedBy: 'PDF firmado por',
  },
  linkedIn: 'Añadir al perfil de LinkedIn',
  askCorrection: '¿Tu nombre o el título de tu charla están mal? Pide al organizador que los corrija',
  previewAlt: (name) => `El certificado de ${name}`,
  credential: {
    title: 'Credencial digital',
    intro: (issuer) =>
      `Este certificado es también una credencial Open Badges 3.0 firmada por ${issuer}: las carteras digitales y los registros pueden comprobarla sin esta página.`,
    verified:
      '✓ La firma es válida, la clave de firma está publicada por el emisor y la credencial no ha sido revocada.',
    signatureFailed: '✕ La credencial no se puede verificar: su firma o la clave del emisor no son correctas.',
    statusRevoked: '✕ La firma es válida, pero la credencial ha sido revocada o sustituida.',
    uncheckable: 'No se pudo comprobar la credencial en este momento. Inténtelo de nuevo en unos instantes.',
    none: 'Este certificado se emitió antes de que los certificados incluyeran una credencial digital.',
    download: 'Descargar la credencial (Open Badges 3.0, JSON)',
    downloadPdf: 'Descargar el certificado (PDF)',
    downloadBadgePng: 'Imagen de insignia para billeteras (PNG)',
    downloadBadgeSvg: 'Imagen de insignia para billeteras (SVG)',
  },
  check: {
    title: 'Comprobar un PDF',
    intro:
      '¿Ha recibido este certificado en PDF? Compruebe que es exactamente el archivo emitido. El archivo solo se compara, nunca se guarda.',
    notChecked: 'No se pudo comprobar el PDF',
    fileWhat: 'El PDF elegido',
    hashWhat: 'El SHA-256 indicado',
    caveatRevoked: 'Nota: este certificado ha sido revocado, por lo que el PDF ya no certifica lo que indica.',
    caveatReplaced:
      'Nota: este certificado ha sido sustituido por una versión corregida, por lo que el PDF ya no certifica lo que indica.',
    matchTitle: '✓ Coincide: es el PDF emitido',
    matchText: (what) => `${what} es exactamente el PDF emitido con este certificado.`,
    noMatchTitle: '✕ No coincide: no es el PDF emitido',
    noMatchText: (what) =>
      `${what} no coincide con el PDF emitido con este certificado. Puede haber sido modificado o pertenecer a otro certificado.`,
    notPdf: 'El archivo no es un PDF.',
    itsHash: 'Su SHA-256:',
    fileLabel: 'PDF del certificado',
    fileHint: (mb) => `Hasta ${mb} MB.`,
    fileButton: 'Comprobar el PDF',
    hashLabel: 'O su SHA-256',
    hashHint: '64 caracteres hexadecimales, p. ej. de sha256sum certificado.pdf.',
    hashButton: 'Comprobar el hash',
    problems: {
      NO_INPUT: 'Elija un archivo PDF o introduzca un SHA-256.',
      INVALID_HASH: 'Un SHA-256 tiene 64 caracteres hexadecimales (0-9, a-f).',
      INVALID_UPLOAD: 'No se pudo leer el archivo enviado. Vuelva a elegirlo.',
      LIMIT_EXCEEDED: 'El archivo es demasiado grande para ser un certificado.',
      UNSUPPORTED_MEDIA_TYPE: 'Envíe el PDF con el formulario de esta página.',
    },
  },
  notFound: {
    title: 'Certificado no encontrado',
    text: 'Ningún certificado tiene esta dirección. Compruebe que se escribió exactamente como aparece en el certificado: el identificador tiene 22 caracteres y distingue mayúsculas de minúsculas.',
  },
  methodNotAllowed: {
    title: 'Método no permitido',
    text: 'Esta dirección responde a GET (el certificado) y POST (comprobar un PDF).',
  },
  unavailable: {
    title: 'No disponible temporalmente',
    text: 'No se pudo leer el certificado en este momento. Inténtelo de nuevo en unos instantes.',
  },
};

const pt: Messages = {
  dir: 'ltr',
  skip: 'Ir para o certificado',
  brand: 'Verificação de certificados',
  footer: 'Verificação por certforge. Esta página mostra o que o certificado declara e se ele ainda é válido.',
  badge: { valid: '✓ Válido', revoked: '✕ Revogado', superseded: '↻ Substituído', expired: '⌛ Expirado' },
  heading: {
    valid: 'Este certificado é válido',
    revoked: 'Este certificado foi revogado',
    superseded: 'Este certificado foi substituído por uma versão corrigida',
    expired: 'Este certificado expirou',
  },
  titleStatus: {
    valid: 'certificado válido',
    revoked: 'certificado revogado',
    superseded: 'certificado substituído',
    expired: 'certificado expirado',
  },
  titlePrefix: { notChecked: 'PDF não verificado – ', matches: 'O PDF confere – ', noMatch: 'O PDF não confere – ' },
  unknownDate: 'uma data desconhecida',
  issuedByOn: (issuer, date) => `Emitido por ${issuer} em ${date}. Não foi revogado nem substituído.`,
  revokedOn: (date) => `Revogado em ${date}. Já não certifica o que declara.`,
  expiredOn: (date) => `Foi válido até ${date}. Não foi revogado: terminou o período para o qual foi emitido.`,
  validUntil: (date) => `Válido até ${date}.`,
  reason: 'Motivo:',
  replacedOn: (date) => `Uma versão corrigida o substituiu em ${date}. Esta versão já não é válida.`,
  currentVersion: 'Ver a versão atual deste certificado',
  currentVersionRevoked: '(essa versão também foi revogada)',
  currentVersionMissing: 'Não foi possível encontrar a versão atual.',
  roles: {
    Speaker: 'Palestrante',
    Attendee: 'Participante',
    Participant: 'Participante',
    Volunteer: 'Voluntário(a)',
    Organizer: 'Organizador(a)',
    Reviewer: 'Revisor(a)',
    Chair: 'Presidente',
    Sponsor: 'Patrocinador',
    Moderator: 'Moderador(a)',
  },
  attendance: {
    label: 'Presença',
    value: (e) =>
      [
        e.days ? (e.days === 1 ? `${e.days} dia` : `${e.days} dias`) : '',
        e.minutes ? `${e.minutes} minutos` : '',
        !e.days && !e.minutes && e.checkins ? 'check-in feito' : '',
      ]
        .filter(Boolean)
        .join(', '),
  },
  detailsTitle: (role) => `Certificado de ${role.toLowerCase()}`,
  labels: {
    awardedTo: 'Concedido a',
    talk: 'Palestra',
    event: 'Evento',
    date: 'Data',
    place: 'Local',
    issuedBy: 'Emitido por',
    issuedOn: 'Emitido em',
    certificateId: 'ID do certificado',
    sha256: 'SHA-256 do PDF',
    pdfSignedBy: 'PDF assinado por',
  },
  linkedIn: 'Adicionar ao perfil do LinkedIn',
  askCorrection: 'Seu nome ou o título da palestra está errado? Peça ao organizador que o corrija',
  previewAlt: (name) => `O certificado de ${name}`,
  credential: {
    title: 'Credencial digital',
    intro: (issuer) =>
      `Este certificado também é uma credencial Open Badges 3.0 assinada por ${issuer}: carteiras digitais e registros podem verificá-la sem esta página.`,
    verified:
      '✓ A assinatura é válida, a chave de assinatura é publicada pelo emissor e a credencial não foi revogada.',
    signatureFailed: '✕ A credencial não pôde ser verificada: a assinatura ou a chave do emissor não confere.',
    statusRevoked: '✕ A assinatura é válida, mas a credencial foi revogada ou substituída.',
    uncheckable: 'Não foi possível verificar a credencial agora. Tente novamente em instantes.',
    none: 'Este certificado foi emitido antes de os certificados incluírem uma credencial digital.',
    download: 'Baixar a credencial (Open Badges 3.0, JSON)',
    downloadPdf: 'Baixar o certificado (PDF)',
    downloadBadgePng: 'Imagem do selo para carteiras (PNG)',
    downloadBadgeSvg: 'Imagem do selo para carteiras (SVG)',
  },
  check: {
    title: 'Verificar um PDF',
    intro:
      'Recebeu este certificado em PDF? Verifique se é exatamente o arquivo emitido. O arquivo é apenas comparado, nunca armazenado.',
    notChecked: 'Não foi possível verificar o PDF',
    fileWhat: 'O PDF escolhido',
    hashWhat: 'O SHA-256 informado',
    caveatRevoked: 'Observação: este certificado foi revogado, portanto o PDF já não certifica o que declara.',
    caveatReplaced:
      'Observação: este certificado foi substituído por uma versão corrigida, portanto o PDF já não certifica o que declara.',
    matchTitle: '✓ Confere: este é o PDF emitido',
    matchText: (what) => `${what} é exatamente o PDF emitido com este certificado.`,
    noMatchTitle: '✕ Não confere: este não é o PDF emitido',
    noMatchText: (what) =>
      `${what} não corresponde ao PDF emitido com este certificado. Pode ter sido alterado ou pertencer a outro certificado.`,
    notPdf: 'O arquivo não é um PDF.',
    itsHash: 'O SHA-256 dele:',
    fileLabel: 'PDF do certificado',
    fileHint: (mb) => `Até ${mb} MB.`,
    fileButton: 'Verificar o PDF',
    hashLabel: 'Ou o SHA-256 dele',
    hashHint: '64 caracteres hexadecimais, por exemplo de sha256sum certificado.pdf.',
    hashButton: 'Verificar o hash',
    problems: {
      NO_INPUT: 'Escolha um arquivo PDF ou informe um SHA-256.',
      INVALID_HASH: 'Um SHA-256 tem 64 caracteres hexadecimais (0-9, a-f).',
      INVALID_UPLOAD: 'Não foi possível ler o envio. Escolha o arquivo novamente.',
      LIMIT_EXCEEDED: 'O arquivo é grande demais para ser um certificado.',
      UNSUPPORTED_MEDIA_TYPE: 'Envie o PDF pelo formulário desta página.',
    },
  },
  notFound: {
    title: 'Certificado não encontrado',
    text: 'Nenhum certificado tem este endereço. Confira se foi digitado exatamente como impresso no certificado: o identificador tem 22 caracteres e diferencia maiúsculas de minúsculas.',
  },
  methodNotAllowed: {
    title: 'Método não permitido',
    text: 'Este endereço responde a GET (o certificado) e POST (verificar um PDF).',
  },
  unavailable: {
    title: 'Temporariamente indisponível',
    text: 'Não foi possível ler o certificado agora. Tente novamente em instantes.',
  },
};

const fr: Messages = {
  dir: 'ltr',
  skip: 'Aller au certificat',
  brand: 'Vérification de certificat',
  footer: 'Vérification par certforge. Cette page indique ce qu’atteste le certificat et s’il est toujours valide.',
  badge: { valid: '✓ Valide', revoked: '✕ Révoqué', superseded: '↻ Remplacé', expired: '⌛ Expiré' },
  heading: {
    valid: 'Ce certificat est valide',
    revoked: 'Ce certificat a été révoqué',
    superseded: 'Ce certificat a été remplacé par une version corrigée',
    expired: 'Ce certificat a expiré',
  },
  titleStatus: {
    valid: 'certificat valide',
    revoked: 'certificat révoqué',
    superseded: 'certificat remplacé',
    expired: 'certificat expiré',
  },
  titlePrefix: {
    notChecked: 'PDF non vérifié – ',
    matches: 'Le PDF correspond – ',
    noMatch: 'Le PDF ne correspond pas – ',
  },
  unknownDate: 'une date inconnue',
  issuedByOn: (issuer, date) => `Délivré par ${issuer} le ${date}. Il n’a été ni révoqué ni remplacé.`,
  revokedOn: (date) => `Révoqué le ${date}. Il n’atteste plus ce qu’il indique.`,
  expiredOn: (date) =>
    `Il était valide jusqu’au ${date}. Il n’a pas été révoqué : la période pour laquelle il a été délivré est terminée.`,
  validUntil: (date) => `Valide jusqu’au ${date}.`,
  reason: 'Motif :',
  replacedOn: (date) => `Une version corrigée l’a remplacé le ${date}. Cette version n’est plus valide.`,
  currentVersion: 'Voir la version actuelle de ce certificat',
  currentVersionRevoked: '(cette version a elle aussi été révoquée)',
  currentVersionMissing: 'La version actuelle est introuvable.',
  roles: {
    Speaker: 'Intervenant',
    Attendee: 'Participant',
    Participant: 'Participant',
    Volunteer: 'Bénévole',
    Organizer: 'Organisateur·rice',
    Reviewer: 'Relecteur·rice',
    Chair: 'Président·e',
    Sponsor: 'Sponsor',
    Moderator: 'Modérateur·rice',
  },
  attendance: {
    label: 'Présence',
    value: (e) =>
      [
        e.days ? (e.days === 1 ? `${e.days} jour` : `${e.days} jours`) : '',
        e.minutes ? `${e.minutes} minutes` : '',
        !e.days && !e.minutes && e.checkins ? 'enregistré' : '',
      ]
        .filter(Boolean)
        .join(', '),
  },
  detailsTitle: (role) => `Certificat ${/^[aeiouéh]/i.test(role) ? 'd’' : 'de '}${role.toLowerCase()}`,
  labels: {
    awardedTo: 'Décerné à',
    talk: 'Intervention',
    event: 'Événement',
    date: 'Date',
    place: 'Lieu',
    issuedBy: 'Délivré par',
    issuedOn: 'Délivré le',
    certificateId: 'Identifiant du certificat',
    sha256: 'SHA-256 du PDF',
    pdfSignedBy: 'PDF signé par',
  },
  linkedIn: 'Ajouter au profil LinkedIn',
  askCorrection: 'Votre nom ou le titre de votre intervention est erroné ? Demandez à l’organisateur de le corriger',
  previewAlt: (name) => `Le certificat de ${name}`,
  credential: {
    title: 'Attestation numérique',
    intro: (issuer) =>
      `Ce certificat est aussi une attestation Open Badges 3.0 signée par ${issuer} : les portefeuilles numériques et les registres peuvent la vérifier sans cette page.`,
    verified:
      '✓ La signature est valide, la clé de signature est publiée par l’émetteur et l’attestation n’a pas été révoquée.',
    signatureFailed: '✕ L’attestation ne se vérifie pas : sa signature ou la clé de l’émetteur n’est pas correcte.',
    statusRevoked: '✕ La signature est valide, mais l’attestation a été révoquée ou remplacée.',
    uncheckable: 'L’attestation n’a pas pu être vérifiée pour le moment. Veuillez réessayer dans un instant.',
    none: 'Ce certificat a été délivré avant que les certificats ne contiennent une attestation numérique.',
    download: 'Télécharger l’attestation (Open Badges 3.0, JSON)',
    downloadPdf: 'Télécharger le certificat (PDF)',
    downloadBadgePng: 'Image du badge pour portefeuilles (PNG)',
    downloadBadgeSvg: 'Image du badge pour portefeuilles (SVG)',
  },
  check: {
    title: 'Vérifier un PDF',
    intro:
      'Vous avez reçu ce certificat en PDF ? Vérifiez qu’il s’agit exactement du fichier délivré. Le fichier est seulement comparé, jamais conservé.',
    notChecked: 'Le PDF n’a pas pu être vérifié',
    fileWhat: 'Le PDF choisi',
    hashWhat: 'Le SHA-256 saisi',
    caveatRevoked: 'Remarque : ce certificat a été révoqué, le PDF n’atteste donc plus ce qu’il indique.',
    caveatReplaced:
      'Remarque : ce certificat a été remplacé par une version corrigée, le PDF n’atteste donc plus ce qu’il indique.',
    matchTitle: '✓ Correspondance : c’est le PDF délivré',
    matchText: (what) => `${what} est exactement le PDF délivré avec ce certificat.`,
    noMatchTitle: '✕ Aucune correspondance : ce n’est pas le PDF délivré',
    noMatchText: (what) =>
      `${what} ne correspond pas au PDF délivré avec ce certificat. Il a pu être modifié ou appartenir à un autre certificat.`,
    notPdf: 'Le fichier n’est pas un PDF.',
    itsHash: 'Son SHA-256 :',
    fileLabel: 'PDF du certificat',
    fileHint: (mb) => `Jusqu’à ${mb} Mo.`,
    fileButton: 'Vérifier le PDF',
    hashLabel: 'Ou son SHA-256',
    hashHint: '64 caractères hexadécimaux, par exemple issus de sha256sum certificat.pdf.',
    hashButton: 'Vérifier l’empreinte',
    problems: {
      NO_INPUT: 'Choisissez un fichier PDF ou saisissez un SHA-256.',
      INVALID_HASH: 'Un SHA-256 comporte 64 caractères hexadécimaux (0-9, a-f).',
      INVALID_UPLOAD: 'L’envoi n’a pas pu être lu. Veuillez choisir le fichier à nouveau.',
      LIMIT_EXCEEDED: 'Le fichier est trop volumineux pour être un certificat.',
      UNSUPPORTED_MEDIA_TYPE: 'Envoyez le PDF avec le formulaire de cette page.',
    },
  },
  notFound: {
    title: 'Certificat introuvable',
    text: 'Aucun certificat n’a cette adresse. Vérifiez qu’elle a été saisie exactement comme imprimée sur le certificat : l’identifiant compte 22 caractères et distingue majuscules et minuscules.',
  },
  methodNotAllowed: {
    title: 'Méthode non autorisée',
    text: 'Cette adresse répond à GET (le certificat) et à POST (vérifier un PDF).',
  },
  unavailable: {
    title: 'Temporairement indisponible',
    text: 'Le certificat n’a pas pu être lu pour le moment. Veuillez réessayer dans un instant.',
  },
};

const de: Messages = {
  dir: 'ltr',
  skip: 'Zum Zertifikat springen',
  brand: 'Zertifikatsprüfung',
  footer: 'Prüfung durch certforge. Diese Seite zeigt, was das Zertifikat bescheinigt und ob es noch gültig ist.',
  badge: { valid: '✓ Gültig', revoked: '✕ Widerrufen', superseded: '↻ Ersetzt', expired: '⌛ Abgelaufen' },
  heading: {
    valid: 'Dieses Zertifikat ist gültig',
    revoked: 'Dieses Zertifikat wurde widerrufen',
    superseded: 'Dieses Zertifikat wurde durch eine korrigierte Fassung ersetzt',
    expired: 'Dieses Zertifikat ist abgelaufen',
  },
  titleStatus: {
    valid: 'gültiges Zertifikat',
    revoked: 'widerrufenes Zertifikat',
    superseded: 'ersetztes Zertifikat',
    expired: 'abgelaufenes Zertifikat',
  },
  titlePrefix: {
    notChecked: 'PDF nicht geprüft – ',
    matches: 'PDF stimmt überein – ',
    noMatch: 'PDF stimmt nicht überein – ',
  },
  unknownDate: 'einem unbekannten Datum',
  issuedByOn: (issuer, date) => `Ausgestellt von ${issuer} am ${date}. Es wurde weder widerrufen noch ersetzt.`,
  revokedOn: (date) => `Widerrufen am ${date}. Es bescheinigt nicht mehr, was es angibt.`,
  expiredOn: (date) =>
    `Es war gültig bis ${date}. Es wurde nicht widerrufen: Der Zeitraum, für den es ausgestellt wurde, ist vorbei.`,
  validUntil: (date) => `Gültig bis ${date}.`,
  reason: 'Grund:',
  replacedOn: (date) => `Am ${date} durch eine korrigierte Fassung ersetzt. Diese Fassung ist nicht mehr gültig.`,
  currentVersion: 'Aktuelle Fassung dieses Zertifikats ansehen',
  currentVersionRevoked: '(auch diese Fassung wurde widerrufen)',
  currentVersionMissing: 'Die aktuelle Fassung wurde nicht gefunden.',
  roles: {
    Speaker: 'Vortragende',
    Attendee: 'Teilnehmende',
    Participant: 'Teilnehmende',
    Volunteer: 'Freiwillige',
    Organizer: 'Organisationsteam',
    Reviewer: 'Gutachtende',
    Chair: 'Vorsitz',
    Sponsor: 'Sponsor',
    Moderator: 'Moderation',
  },
  attendance: {
    label: 'Teilnahme',
    value: (e) =>
      [
        e.days ? (e.days === 1 ? `${e.days} Tag` : `${e.days} Tage`) : '',
        e.minutes ? `${e.minutes} Minuten` : '',
        !e.days && !e.minutes && e.checkins ? 'eingecheckt' : '',
      ]
        .filter(Boolean)
        .join(', '),
  },
  detailsTitle: (role) => `Zertifikat für ${role}`,
  labels: {
    awardedTo: 'Verliehen an',
    talk: 'Vortrag',
    event: 'Veranstaltung',
    date: 'Datum',
    place: 'Ort',
    issuedBy: 'Ausgestellt von',
    issuedOn: 'Ausgestellt am',
    certificateId: 'Zertifikats-ID',
    sha256: 'SHA-256 der PDF-Datei',
    pdfSignedBy: 'PDF signiert von',
  },
  linkedIn: 'Zum LinkedIn-Profil hinzufügen',
  askCorrection: 'Ist Ihr Name oder der Titel Ihres Vortrags falsch? Bitten Sie den Veranstalter um eine Korrektur',
  previewAlt: (name) => `Das Zertifikat von ${name}`,
  credential: {
    title: 'Digitaler Nachweis',
    intro: (issuer) =>
      `Dieses Zertifikat ist auch ein von ${issuer} signierter Open-Badges-3.0-Nachweis: Digitale Wallets und Register können ihn ohne diese Seite prüfen.`,
    verified:
      '✓ Die Signatur ist gültig, der Signaturschlüssel ist vom Aussteller veröffentlicht, und der Nachweis wurde nicht widerrufen.',
    signatureFailed:
      '✕ Der Nachweis lässt sich nicht bestätigen: Signatur oder Schlüssel des Ausstellers stimmen nicht.',
    statusRevoked: '✕ Die Signatur ist gültig, aber der Nachweis wurde widerrufen oder ersetzt.',
    uncheckable: 'Der Nachweis konnte gerade nicht geprüft werden. Bitte versuchen Sie es gleich noch einmal.',
    none: 'Dieses Zertifikat wurde ausgestellt, bevor Zertifikate einen digitalen Nachweis enthielten.',
    download: 'Nachweis herunterladen (Open Badges 3.0, JSON)',
    downloadPdf: 'Zertifikat herunterladen (PDF)',
    downloadBadgePng: 'Badge-Bild für Wallets (PNG)',
    downloadBadgeSvg: 'Badge-Bild für Wallets (SVG)',
  },
  check: {
    title: 'PDF prüfen',
    intro:
      'Haben Sie dieses Zertifikat als PDF erhalten? Prüfen Sie, ob es genau die ausgestellte Datei ist. Die Datei wird nur verglichen, nie gespeichert.',
    notChecked: 'Die PDF-Datei konnte nicht geprüft werden',
    fileWhat: 'Die gewählte PDF-Datei',
    hashWhat: 'Der angegebene SHA-256',
    caveatRevoked:
      'Hinweis: Dieses Zertifikat wurde widerrufen; die PDF-Datei bescheinigt daher nicht mehr, was sie angibt.',
    caveatReplaced:
      'Hinweis: Dieses Zertifikat wurde durch eine korrigierte Fassung ersetzt; die PDF-Datei bescheinigt daher nicht mehr, was sie angibt.',
    matchTitle: '✓ Übereinstimmung: Dies ist die ausgestellte PDF-Datei',
    matchText: (what) => `${what} ist genau die mit diesem Zertifikat ausgestellte PDF-Datei.`,
    noMatchTitle: '✕ Keine Übereinstimmung: Dies ist nicht die ausgestellte PDF-Datei',
    noMatchText: (what) =>
      `${what} stimmt nicht mit der zu diesem Zertifikat ausgestellten PDF-Datei überein. Sie wurde vielleicht verändert oder gehört zu einem anderen Zertifikat.`,
    notPdf: 'Die Datei ist keine PDF-Datei.',
    itsHash: 'Ihr SHA-256:',
    fileLabel: 'PDF des Zertifikats',
    fileHint: (mb) => `Bis zu ${mb} MB.`,
    fileButton: 'PDF prüfen',
    hashLabel: 'Oder ihr SHA-256',
    hashHint: '64 Hexadezimalzeichen, z. B. aus sha256sum zertifikat.pdf.',
    hashButton: 'Hash prüfen',
    problems: {
      NO_INPUT: 'Wählen Sie eine PDF-Datei oder geben Sie einen SHA-256 ein.',
      INVALID_HASH: 'Ein SHA-256 besteht aus 64 Hexadezimalzeichen (0-9, a-f).',
      INVALID_UPLOAD: 'Der Upload konnte nicht gelesen werden. Bitte wählen Sie die Datei erneut.',
      LIMIT_EXCEEDED: 'Die Datei ist zu groß für ein Zertifikat.',
      UNSUPPORTED_MEDIA_TYPE: 'Senden Sie die PDF-Datei mit dem Formular dieser Seite.',
    },
  },
  notFound: {
    title: 'Zertifikat nicht gefunden',
    text: 'Unter dieser Adresse gibt es kein Zertifikat. Prüfen Sie, ob sie genau wie auf dem Zertifikat gedruckt eingegeben wurde: Die Kennung hat 22 Zeichen, Groß- und Kleinschreibung zählt.',
  },
  methodNotAllowed: {
    title: 'Methode nicht erlaubt',
    text: 'Diese Adresse beantwortet GET (das Zertifikat) und POST (eine PDF-Datei prüfen).',
  },
  unavailable: {
    title: 'Vorübergehend nicht verfügbar',
    text: 'Das Zertifikat konnte gerade nicht gelesen werden. Bitte versuchen Sie es gleich noch einmal.',
  },
};

const ar: Messages = {
  dir: 'rtl',
  skip: 'انتقل إلى الشهادة',
  brand: 'التحقق من الشهادات',
  footer: 'التحقق بواسطة certforge. تعرض هذه الصفحة ما تشهد به الشهادة وما إذا كانت لا تزال صالحة.',
  badge: { valid: '✓ صالحة', revoked: '✕ ملغاة', superseded: '↻ مستبدلة', expired: '⌛ منتهية الصلاحية' },
  heading: {
    valid: 'هذه الشهادة صالحة',
    revoked: 'أُلغيت هذه الشهادة',
    superseded: 'استُبدلت هذه الشهادة بنسخة مصحَّحة',
    expired: 'انتهت صلاحية هذه الشهادة',
  },
  titleStatus: {
    valid: 'شهادة صالحة',
    revoked: 'شهادة ملغاة',
    superseded: 'شهادة مستبدلة',
    expired: 'شهادة منتهية الصلاحية',
  },
  titlePrefix: { notChecked: 'لم يُتحقق من ملف PDF – ', matches: 'ملف PDF مطابق – ', noMatch: 'ملف PDF غير مطابق – ' },
  unknownDate: 'تاريخ غير معروف',
  issuedByOn: (issuer, date) => `أصدرتها ${issuer} بتاريخ ${date}. لم تُلغَ ولم تُستبدل.`,
  revokedOn: (date) => `أُلغيت بتاريخ ${date}. لم تعد تشهد بما تذكره.`,
  expiredOn: (date) => `كانت صالحة حتى ${date}. لم تُلغَ، بل انتهت المدة التي صدرت لها.`,
  validUntil: (date) => `صالحة حتى ${date}.`,
  reason: 'السبب:',
  replacedOn: (date) => `استُبدلت بنسخة مصحَّحة بتاريخ ${date}. هذه النسخة لم تعد صالحة.`,
  currentVersion: 'اعرض النسخة الحالية من هذه الشهادة',
  currentVersionRevoked: '(أُلغيت تلك النسخة أيضًا)',
  currentVersionMissing: 'تعذّر العثور على النسخة الحالية.',
  roles: {
    Speaker: 'متحدث',
    Attendee: 'حاضر',
    Participant: 'مشارك',
    Volunteer: 'متطوع',
    Organizer: 'منظم',
    Reviewer: 'مراجع',
    Chair: 'رئيس الجلسة',
    Sponsor: 'راعٍ',
    Moderator: 'مدير الجلسة',
  },
  attendance: {
    label: 'الحضور',
    value: (e) =>
      [
        e.days ? (e.days === 1 ? `${e.days} يوم` : `${e.days} أيام`) : '',
        e.minutes ? `${e.minutes} دقيقة` : '',
        !e.days && !e.minutes && e.checkins ? 'تم تسجيل الحضور' : '',
      ]
        .filter(Boolean)
        .join('، '),
  },
  detailsTitle: (role) => `شهادة ${role}`,
  labels: {
    awardedTo: 'مُنحت إلى',
    talk: 'المحاضرة',
    event: 'الفعالية',
    date: 'التاريخ',
    place: 'المكان',
    issuedBy: 'الجهة المُصدِرة',
    issuedOn: 'تاريخ الإصدار',
    certificateId: 'معرّف الشهادة',
    sha256: 'بصمة SHA-256 لملف PDF',
    pdfSignedBy: 'ملف PDF موقَّع من',
  },
  linkedIn: 'أضِف إلى ملفك الشخصي على LinkedIn',
  askCorrection: 'هل اسمك أو عنوان محاضرتك خاطئ؟ اطلب من المنظِّم تصحيحه',
  previewAlt: (name) => `شهادة ${name}`,
  credential: {
    title: 'الاعتماد الرقمي',
    intro: (issuer) =>
      `هذه الشهادة أيضًا اعتماد Open Badges 3.0 موقَّع من ${issuer}: يمكن للمحافظ الرقمية والسجلات التحقق منه دون هذه الصفحة.`,
    verified: '✓ التوقيع صالح، ومفتاح التوقيع منشور من الجهة المُصدِرة، ولم يُلغَ الاعتماد.',
    signatureFailed: '✕ تعذّر التحقق من الاعتماد: التوقيع أو مفتاح الجهة المُصدِرة غير صحيح.',
    statusRevoked: '✕ التوقيع صالح، لكن الاعتماد أُلغي أو استُبدل.',
    uncheckable: 'تعذّر التحقق من الاعتماد الآن. يُرجى المحاولة بعد قليل.',
    none: 'صدرت هذه الشهادة قبل أن تتضمن الشهادات اعتمادًا رقميًا.',
    download: 'نزِّل الاعتماد (Open Badges 3.0، بصيغة JSON)',
    downloadPdf: 'نزِّل الشهادة (PDF)',
    downloadBadgePng: 'صورة الشارة للمحافظ الرقمية (PNG)',
    downloadBadgeSvg: 'صورة الشارة للمحافظ الرقمية (SVG)',
  },
  check: {
    title: 'تحقّق من ملف PDF',
    intro: 'هل وصلتك هذه الشهادة بصيغة PDF؟ تحقّق من أنها الملف الصادر نفسه تمامًا. يُقارَن الملف فقط ولا يُحفظ أبدًا.',
    notChecked: 'تعذّر التحقق من ملف PDF',
    fileWhat: 'ملف PDF الذي اخترته',
    hashWhat: 'بصمة SHA-256 التي أدخلتها',
    caveatRevoked: 'ملاحظة: أُلغيت هذه الشهادة، لذا لم يعد ملف PDF يشهد بما يذكره.',
    caveatReplaced: 'ملاحظة: استُبدلت هذه الشهادة بنسخة مصحَّحة، لذا لم يعد ملف PDF يشهد بما يذكره.',
    matchTitle: '✓ مطابق: هذا هو ملف PDF الصادر',
    matchText: (what) => `${what} هو تمامًا ملف PDF الصادر مع هذه الشهادة.`,
    noMatchTitle: '✕ غير مطابق: هذا ليس ملف PDF الصادر',
    noMatchText: (what) => `${what} لا يطابق ملف PDF الصادر مع هذه الشهادة. ربما عُدِّل أو يخص شهادة أخرى.`,
    notPdf: 'الملف ليس بصيغة PDF.',
    itsHash: 'بصمته SHA-256:',
    fileLabel: 'ملف PDF للشهادة',
    fileHint: (mb) => `حتى ${mb} ميغابايت.`,
    fileButton: 'تحقّق من ملف PDF',
    hashLabel: 'أو بصمته SHA-256',
    hashHint: '64 حرفًا ست عشريًا، مثلًا من الأمر sha256sum certificate.pdf.',
    hashButton: 'تحقّق من البصمة',
    problems: {
      NO_INPUT: 'اختر ملف PDF أو أدخل بصمة SHA-256.',
      INVALID_HASH: 'تتكوّن بصمة SHA-256 من 64 حرفًا ست عشريًا (0-9، a-f).',
      INVALID_UPLOAD: 'تعذّرت قراءة الملف المرفوع. يُرجى اختياره مرة أخرى.',
      LIMIT_EXCEEDED: 'الملف أكبر من أن يكون شهادة.',
      UNSUPPORTED_MEDIA_TYPE: 'أرسل ملف PDF عبر النموذج في هذه الصفحة.',
    },
  },
  notFound: {
    title: 'لم يُعثر على الشهادة',
    text: 'لا توجد شهادة بهذا العنوان. تحقّق من كتابته تمامًا كما هو مطبوع على الشهادة: يتكوّن المعرّف من 22 حرفًا ويميّز بين الأحرف الكبيرة والصغيرة.',
  },
  methodNotAllowed: {
    title: 'الطريقة غير مسموح بها',
    text: 'يستجيب هذا العنوان لطلبات GET (الشهادة) وPOST (التحقق من ملف PDF).',
  },
  unavailable: { title: 'غير متاح مؤقتًا', text: 'تعذّرت قراءة الشهادة الآن. يُرجى المحاولة بعد قليل.' },
};

const zh: Messages = {
  dir: 'ltr',
  skip: '跳到证书',
  brand: '证书验证',
  footer: '由 certforge 提供验证。本页显示证书所证明的内容以及它是否仍然有效。',
  badge: { valid: '✓ 有效', revoked: '✕ 已撤销', superseded: '↻ 已替换', expired: '⌛ 已过期' },
  heading: {
    valid: '此证书有效',
    revoked: '此证书已被撤销',
    superseded: '此证书已被更正后的版本替换',
    expired: '此证书已过期',
  },
  titleStatus: { valid: '有效证书', revoked: '已撤销的证书', superseded: '已替换的证书', expired: '已过期的证书' },
  titlePrefix: { notChecked: 'PDF 未检查 – ', matches: 'PDF 一致 – ', noMatch: 'PDF 不一致 – ' },
  unknownDate: '未知日期',
  issuedByOn: (issuer, date) => `由 ${issuer} 于 ${date} 颁发。未被撤销或替换。`,
  revokedOn: (date) => `已于 ${date} 撤销。它不再证明其所述内容。`,
  expiredOn: (date) => `有效期至 ${date}。它未被撤销：签发时规定的有效期已结束。`,
  validUntil: (date) => `有效期至 ${date}。`,
  reason: '原因：',
  replacedOn: (date) => `已于 ${date} 被更正后的版本替换。此版本不再有效。`,
  currentVersion: '查看此证书的当前版本',
  currentVersionRevoked: '（该版本也已被撤销）',
  currentVersionMissing: '找不到当前版本。',
  roles: {
    Speaker: '演讲者',
    Attendee: '参会者',
    Participant: '参与者',
    Volunteer: '志愿者',
    Organizer: '组织者',
    Reviewer: '评审',
    Chair: '主席',
    Sponsor: '赞助商',
    Moderator: '主持人',
  },
  attendance: {
    label: '出席',
    value: (e) =>
      [
        e.days ? (e.days === 1 ? `${e.days} 天` : `${e.days} 天`) : '',
        e.minutes ? `${e.minutes} 分钟` : '',
        !e.days && !e.minutes && e.checkins ? '已签到' : '',
      ]
        .filter(Boolean)
        .join('、'),
  },
  detailsTitle: (role) => `${role}证书`,
  labels: {
    awardedTo: '授予',
    talk: '演讲',
    event: '活动',
    date: '日期',
    place: '地点',
    issuedBy: '颁发者',
    issuedOn: '颁发日期',
    certificateId: '证书编号',
    sha256: 'PDF 的 SHA-256',
    pdfSignedBy: 'PDF 签署者',
  },
  linkedIn: '添加到 LinkedIn 个人资料',
  askCorrection: '姓名或演讲标题有误？请主办方更正',
  previewAlt: (name) => `${name} 的证书`,
  credential: {
    title: '数字凭证',
    intro: (issuer) => `此证书同时也是由 ${issuer} 签名的 Open Badges 3.0 凭证：数字钱包和登记系统无需本页即可验证。`,
    verified: '✓ 签名有效，签名密钥由颁发者公布，凭证未被撤销。',
    signatureFailed: '✕ 凭证无法通过验证：其签名或颁发者的密钥不正确。',
    statusRevoked: '✕ 签名有效，但凭证已被撤销或替换。',
    uncheckable: '暂时无法验证凭证，请稍后再试。',
    none: '此证书颁发于证书附带数字凭证之前。',
    download: '下载凭证（Open Badges 3.0，JSON）',
    downloadPdf: '下载证书（PDF）',
    downloadBadgePng: '用于数字钱包的徽章图片（PNG）',
    downloadBadgeSvg: '用于数字钱包的徽章图片（SVG）',
  },
  check: {
    title: '检查 PDF',
    intro: '收到了这份证书的 PDF？请检查它是否正是所颁发的文件。文件只用于比对，绝不会被保存。',
    notChecked: '无法检查该 PDF',
    fileWhat: '您选择的 PDF',
    hashWhat: '您提供的 SHA-256',
    caveatRevoked: '注意：此证书已被撤销，因此该 PDF 不再证明其所述内容。',
    caveatReplaced: '注意：此证书已被更正后的版本替换，因此该 PDF 不再证明其所述内容。',
    matchTitle: '✓ 一致：这是所颁发的 PDF',
    matchText: (what) => `${what}正是随此证书颁发的 PDF。`,
    noMatchTitle: '✕ 不一致：这不是所颁发的 PDF',
    noMatchText: (what) => `${what}与随此证书颁发的 PDF 不一致。它可能已被修改，或属于另一份证书。`,
    notPdf: '该文件不是 PDF。',
    itsHash: '它的 SHA-256：',
    fileLabel: '证书 PDF',
    fileHint: (mb) => `最大 ${mb} MB。`,
    fileButton: '检查 PDF',
    hashLabel: '或它的 SHA-256',
    hashHint: '64 个十六进制字符，例如 sha256sum certificate.pdf 的输出。',
    hashButton: '检查哈希值',
    problems: {
      NO_INPUT: '请选择一个 PDF 文件或输入 SHA-256。',
      INVALID_HASH: 'SHA-256 由 64 个十六进制字符（0-9、a-f）组成。',
      INVALID_UPLOAD: '无法读取上传的文件，请重新选择。',
      LIMIT_EXCEEDED: '该文件太大，不可能是证书。',
      UNSUPPORTED_MEDIA_TYPE: '请使用本页的表单提交 PDF。',
    },
  },
  notFound: {
    title: '未找到证书',
    text: '没有证书使用此地址。请检查是否与证书上印制的完全一致：编号共 22 个字符，区分大小写。',
  },
  methodNotAllowed: { title: '不允许的方法', text: '此地址只响应 GET（证书）和 POST（检查 PDF）。' },
  unavailable: { title: '暂时不可用', text: '暂时无法读取证书，请稍后再试。' },
};

const ja: Messages = {
  dir: 'ltr',
  skip: '証明書へ移動',
  brand: '証明書の検証',
  footer: 'certforge による検証。このページには、証明書が証明する内容と、現在も有効かどうかが表示されます。',
  badge: { valid: '✓ 有効', revoked: '✕ 失効', superseded: '↻ 差し替え済み', expired: '⌛ 期限切れ' },
  heading: {
    valid: 'この証明書は有効です',
    revoked: 'この証明書は失効しています',
    superseded: 'この証明書は訂正版に差し替えられました',
    expired: 'この証明書は有効期限が切れています',
  },
  titleStatus: {
    valid: '有効な証明書',
    revoked: '失効した証明書',
    superseded: '差し替えられた証明書',
    expired: '期限切れの証明書',
  },
  titlePrefix: { notChecked: 'PDF 未確認 – ', matches: 'PDF が一致 – ', noMatch: 'PDF が不一致 – ' },
  unknownDate: '不明な日付',
  issuedByOn: (issuer, date) => `${issuer} が ${date} に発行しました。失効も差し替えもされていません。`,
  revokedOn: (date) => `${date} に失効しました。記載内容はもはや証明されません。`,
  expiredOn: (date) => `${date} まで有効でした。取り消されたのではなく、発行時に定められた有効期間が終了しました。`,
  validUntil: (date) => `${date} まで有効です。`,
  reason: '理由：',
  replacedOn: (date) => `${date} に訂正版に差し替えられました。この版はもう有効ではありません。`,
  currentVersion: 'この証明書の最新版を表示',
  currentVersionRevoked: '（その版も失効しています）',
  currentVersionMissing: '最新版が見つかりませんでした。',
  roles: {
    Speaker: '登壇者',
    Attendee: '参加者',
    Participant: '参加者',
    Volunteer: 'ボランティア',
    Organizer: '運営',
    Reviewer: '査読者',
    Chair: '座長',
    Sponsor: 'スポンサー',
    Moderator: '司会',
  },
  attendance: {
    label: '出席',
    value: (e) =>
      [
        e.days ? (e.days === 1 ? `${e.days}日` : `${e.days}日`) : '',
        e.minutes ? `${e.minutes}分` : '',
        !e.days && !e.minutes && e.checkins ? 'チェックイン済み' : '',
      ]
        .filter(Boolean)
        .join('、'),
  },
  detailsTitle: (role) => `${role}証明書`,
  labels: {
    awardedTo: '授与先',
    talk: '講演',
    event: 'イベント',
    date: '日付',
    place: '場所',
    issuedBy: '発行者',
    issuedOn: '発行日',
    certificateId: '証明書 ID',
    sha256: 'PDF の SHA-256',
    pdfSignedBy: 'PDF の署名者',
  },
  linkedIn: 'LinkedIn のプロフィールに追加',
  askCorrection: 'お名前や講演タイトルに誤りがありますか？主催者に訂正を依頼する',
  previewAlt: (name) => `${name} さんの証明書`,
  credential: {
    title: 'デジタル資格情報',
    intro: (issuer) =>
      `この証明書は ${issuer} が署名した Open Badges 3.0 の資格情報でもあります。デジタルウォレットや登録システムは、このページなしで検証できます。`,
    verified: '✓ 署名は有効で、署名鍵は発行者が公開しており、資格情報は失効していません。',
    signatureFailed: '✕ 資格情報を検証できません。署名または発行者の鍵が正しくありません。',
    statusRevoked: '✕ 署名は有効ですが、資格情報は失効または差し替えられています。',
    uncheckable: '現在、資格情報を確認できませんでした。しばらくしてからもう一度お試しください。',
    none: 'この証明書は、証明書にデジタル資格情報が含まれるようになる前に発行されました。',
    download: '資格情報をダウンロード（Open Badges 3.0、JSON）',
    downloadPdf: '証明書をダウンロード（PDF）',
    downloadBadgePng: 'ウォレット用のバッジ画像（PNG）',
    downloadBadgeSvg: 'ウォレット用のバッジ画像（SVG）',
  },
  check: {
    title: 'PDF を確認',
    intro:
      'この証明書を PDF で受け取りましたか？発行されたファイルそのものかどうかを確認できます。ファイルは比較にのみ使われ、保存されることはありません。',
    notChecked: 'PDF を確認できませんでした',
    fileWhat: '選択した PDF',
    hashWhat: '入力した SHA-256',
    caveatRevoked: '注意：この証明書は失効しているため、この PDF の記載内容はもはや証明されません。',
    caveatReplaced: '注意：この証明書は訂正版に差し替えられているため、この PDF の記載内容はもはや証明されません。',
    matchTitle: '✓ 一致：発行された PDF です',
    matchText: (what) => `${what}は、この証明書とともに発行された PDF そのものです。`,
    noMatchTitle: '✕ 不一致：発行された PDF ではありません',
    noMatchText: (what) =>
      `${what}は、この証明書とともに発行された PDF と一致しません。変更されたか、別の証明書のものかもしれません。`,
    notPdf: 'このファイルは PDF ではありません。',
    itsHash: 'その SHA-256：',
    fileLabel: '証明書の PDF',
    fileHint: (mb) => `最大 ${mb} MB。`,
    fileButton: 'PDF を確認',
    hashLabel: 'または SHA-256',
    hashHint: '16 進数 64 文字（例：sha256sum certificate.pdf の出力）。',
    hashButton: 'ハッシュを確認',
    problems: {
      NO_INPUT: 'PDF ファイルを選択するか、SHA-256 を入力してください。',
      INVALID_HASH: 'SHA-256 は 16 進数 64 文字（0-9、a-f）です。',
      INVALID_UPLOAD: 'アップロードを読み取れませんでした。もう一度ファイルを選択してください。',
      LIMIT_EXCEEDED: 'ファイルが大きすぎるため、証明書ではありません。',
      UNSUPPORTED_MEDIA_TYPE: 'このページのフォームから PDF を送信してください。',
    },
  },
  notFound: {
    title: '証明書が見つかりません',
    text: 'このアドレスの証明書はありません。証明書に印刷されたとおりに入力されているか確認してください。ID は 22 文字で、大文字と小文字を区別します。',
  },
  methodNotAllowed: {
    title: '許可されていないメソッド',
    text: 'このアドレスは GET（証明書）と POST（PDF の確認）に応答します。',
  },
  unavailable: {
    title: '一時的に利用できません',
    text: '現在、証明書を読み込めませんでした。しばらくしてからもう一度お試しください。',
  },
};

const CATALOG: Record<PageLanguage, Messages> = { en, es, pt, fr, de, ar, zh, ja };

export function messages(language: PageLanguage): Messages {
  return CATALOG[language];
}

/** The catalog's keys of the errors that are a page of their own (not found, method not allowed, unavailable). */
export type PageErrorKey = Extract<VerifyMessageKey, 'notFound' | 'methodNotAllowed' | 'unavailable'>;

const CHECK_PROBLEM = 'check.problems.';

/**
 * The message of an error catalog key in `language`: a page's title and text, or the text of a
 * check problem (undefined in English, where the check's own message, with its details, is shown).
 */
export function errorMessage(language: PageLanguage, key: PageErrorKey): { title: string; text: string };
export function errorMessage(
  language: PageLanguage,
  key: VerifyMessageKey,
): { title?: string; text: string } | undefined;
export function errorMessage(
  language: PageLanguage,
  key: VerifyMessageKey,
): { title?: string; text: string } | undefined {
  const m = messages(language);
  if (!key.startsWith(CHECK_PROBLEM)) return m[key as PageErrorKey];
  const text = m.check.problems[key.slice(CHECK_PROBLEM.length)];
  return text ? { text } : undefined;
}

/** The translated text of a check problem's code (its catalog message key), if there is one in `language`. */
export function problemText(language: PageLanguage, code: string): string | undefined {
  const key = catalogEntry(code).messageKey;
  return key ? errorMessage(language, key)?.text : undefined;
}

/**
 * The page's language: the first supported language of `acceptLanguage` by q-value (ties in
 * header order; q=0 excludes), else the event's `locale`, else English (shared/languages.ts).
 */
export function pageLanguage(acceptLanguage: string | undefined, eventLocale: string | undefined): PageLanguage {
  return negotiateLanguage(acceptLanguage, eventLocale);
}

/** "12 March 2026" in the page's language, for the dates the page writes itself (UTC). */
export function formatPageDate(iso: string | undefined, language: PageLanguage): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

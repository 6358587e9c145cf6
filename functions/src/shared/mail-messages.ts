/**
 * The certificate mail's text in the eight languages of shared/languages.ts (the same catalog
 * system as the verification page and the console: a typed object per language, a missing key
 * fails the build). The mail is written in the event's language (its `locale`), else English.
 * Every value is plain text: mail.ts escapes it for the HTML part.
 */
import { supportedLanguage, type Language } from './languages.js';

export interface MailMessages {
  dir: 'ltr' | 'rtl';
  subject: (eventName: string | undefined) => string;
  greeting: (name: string) => string;
  attached: (eventName: string | undefined) => string;
  /** Followed by the verification URL. */
  checkAt: string;
  issuedBy: (issuer: string) => string;
}

const en: MailMessages = {
  dir: 'ltr',
  subject: (event) => (event ? `Your certificate: ${event}` : 'Your certificate'),
  greeting: (name) => `Hello ${name},`,
  attached: (event) => (event ? `Your certificate for ${event} is attached.` : 'Your certificate is attached.'),
  checkAt: 'Anyone can check it at',
  issuedBy: (issuer) => `Issued by ${issuer}.`,
};

const es: MailMessages = {
  dir: 'ltr',
  subject: (event) => (event ? `Tu certificado: ${event}` : 'Tu certificado'),
  greeting: (name) => `Hola, ${name}:`,
  attached: (event) =>
    event ? `Adjunto encontrarás tu certificado de ${event}.` : 'Adjunto encontrarás tu certificado.',
  checkAt: 'Cualquier persona puede verificarlo en',
  issuedBy: (issuer) => `Emitido por ${issuer}.`,
};

const pt: MailMessages = {
  dir: 'ltr',
  subject: (event) => (event ? `Seu certificado: ${event}` : 'Seu certificado'),
  greeting: (name) => `Olá, ${name},`,
  attached: (event) => (event ? `Seu certificado de ${event} está em anexo.` : 'Seu certificado está em anexo.'),
  checkAt: 'Qualquer pessoa pode verificá-lo em',
  issuedBy: (issuer) => `Emitido por ${issuer}.`,
};

const fr: MailMessages = {
  dir: 'ltr',
  subject: (event) => (event ? `Votre certificat : ${event}` : 'Votre certificat'),
  greeting: (name) => `Bonjour ${name},`,
  attached: (event) =>
    event ? `Vous trouverez ci-joint votre certificat pour ${event}.` : 'Vous trouverez ci-joint votre certificat.',
  checkAt: 'Tout le monde peut le vérifier à l’adresse',
  issuedBy: (issuer) => `Délivré par ${issuer}.`,
};

const de: MailMessages = {
  dir: 'ltr',
  subject: (event) => (event ? `Ihr Zertifikat: ${event}` : 'Ihr Zertifikat'),
  greeting: (name) => `Guten Tag ${name},`,
  attached: (event) =>
    event ? `Im Anhang finden Sie Ihr Zertifikat für ${event}.` : 'Im Anhang finden Sie Ihr Zertifikat.',
  checkAt: 'Jeder kann es unter dieser Adresse prüfen:',
  issuedBy: (issuer) => `Ausgestellt von ${issuer}.`,
};

const ar: MailMessages = {
  dir: 'rtl',
  subject: (event) => (event ? `شهادتك: ${event}` : 'شهادتك'),
  greeting: (name) => `مرحبًا ${name}،`,
  attached: (event) => (event ? `شهادتك في ${event} مرفقة بهذه الرسالة.` : 'شهادتك مرفقة بهذه الرسالة.'),
  checkAt: 'يمكن لأي شخص التحقق منها عبر هذا الرابط:',
  issuedBy: (issuer) => `صادرة عن ${issuer}.`,
};

const zh: MailMessages = {
  dir: 'ltr',
  subject: (event) => (event ? `您的证书：${event}` : '您的证书'),
  greeting: (name) => `${name}，您好：`,
  attached: (event) => (event ? `随信附上您在 ${event} 的证书。` : '随信附上您的证书。'),
  checkAt: '任何人都可以通过以下链接验证此证书：',
  issuedBy: (issuer) => `由 ${issuer} 颁发。`,
};

const ja: MailMessages = {
  dir: 'ltr',
  subject: (event) => (event ? `証明書のお届け：${event}` : '証明書のお届け'),
  greeting: (name) => `${name} 様`,
  attached: (event) => (event ? `${event} の証明書を添付してお送りします。` : '証明書を添付してお送りします。'),
  checkAt: 'この URL で、どなたでも証明書を確認できます：',
  issuedBy: (issuer) => `${issuer} が発行しました。`,
};

export const MAIL_MESSAGES: Record<Language, MailMessages> = { en, es, pt, fr, de, ar, zh, ja };

/** The mail's language: the event's locale when certforge speaks it, else English. */
export function mailLanguage(locale: string | undefined): Language {
  return (locale && supportedLanguage(locale)) || 'en';
}

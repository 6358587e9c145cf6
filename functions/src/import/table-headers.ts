/**
 * What a header cell names, in the eight languages of the verification page (en, es, pt, fr, de,
 * ar, zh, ja; verify/messages.ts) and Korean, and how a person's name is put together from its
 * parts. Pure. docs/csv-import.md ("Columns") lists the aliases for organizers.
 *
 * A header is compared by its key (headerKey): compatibility-normalized (NFKD: full-width
 * `Ｅｍａｉｌ` is `email`), diacritics and other combining marks removed (`Correo electrónico`,
 * `Prénom`, Arabic vowel signs), lower-cased, and everything that is not a letter or a digit
 * removed (spaces, `_`, `-`, `.`, `#`, `:`, `*`, brackets): `E-Mail`, `e_mail` and `EMAIL:` are
 * all `email`, `Order #` is `order`.
 *
 * Name columns. A full-name column (`name`, `Full Name`, `nombre completo`, `氏名`, …) is the
 * name. A given-name column (`First Name`, `Prénom`, `Vorname`, `名`, …) and a family-name column
 * (`Last Name`, `Apellidos`, `Nachname`, `姓`, …) are joined into the name (joinNameParts) when
 * the table has no full-name column. A few words mean "name" alone and a part of it beside
 * another part (NAME_WORDS): `Nombre` beside `Apellidos` is the given name, `Nom` beside `Prénom`
 * (and `Name` beside `Vorname`) the family name; beside both parts, or alone, the full name.
 */

/** The key a header is compared by (see the module comment). */
export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\p{M}\u0640]/gu, '') // combining marks; Arabic tatweel
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The role of a header in the name: the whole name, or one part of it. */
export type NameRole = 'full' | 'given' | 'family';

/** What a header names. `name` may be a part (see NAME_WORDS). */
export type HeaderMeaning = 'id' | 'name' | 'email' | 'talk.title' | 'role' | 'given' | 'family';

/** Aliases by meaning, as organizers write them; compared by headerKey. */
export const HEADER_ALIASES: Readonly<Record<HeaderMeaning, readonly string[]>> = Object.freeze({
  id: ['id', 'speaker id', 'identificador'],
  // Full name; the words of NAME_WORDS are here too (alone, they are the full name).
  name: [
    'name',
    'full name',
    'nombre',
    'nombres',
    'nombre completo',
    'nombre y apellidos',
    'nombre y apellido',
    'nome',
    'nome completo',
    'nom',
    'nom complet',
    'nom et prénom',
    'prénom et nom',
    'vollständiger name',
    'vor- und nachname',
    'الاسم',
    'الاسم الكامل',
    '姓名',
    '全名',
    '名前',
    '氏名',
    'お名前',
    'フルネーム',
    '이름',
    '성명',
  ],
  given: [
    'first name',
    'given name',
    'forename',
    'primer nombre',
    'nombre de pila',
    'primeiro nome',
    'prenome',
    'prénom',
    'vorname',
    'الاسم الأول',
    '名',
  ],
  family: [
    'last name',
    'surname',
    'family name',
    'apellido',
    'apellidos',
    'sobrenome',
    'apelido',
    'nom de famille',
    'nachname',
    'familienname',
    'اسم العائلة',
    'اللقب',
    '姓',
    '姓氏',
    '苗字',
    '성',
  ],
  email: [
    'email',
    'e-mail',
    'email address',
    'e-mail address',
    'mail',
    'correo',
    'correo electrónico',
    'dirección de correo',
    'dirección de correo electrónico',
    'endereço de e-mail',
    'endereço de email',
    'courriel',
    'adresse e-mail',
    'adresse mail',
    'adresse électronique',
    'e-mail-adresse',
    'البريد الإلكتروني',
    'البريد',
    '邮箱',
    '电子邮件',
    '电子邮箱',
    '電子郵件',
    'メールアドレス',
    'メール',
    'eメール',
    '이메일',
  ],
  'talk.title': [
    'talk',
    'talk title',
    'title',
    'título',
    'título de la charla',
    'título de la ponencia',
    'charla',
    'ponencia',
    'título da palestra',
    'palestra',
    'titre',
    'titre de la présentation',
    "titre de l'intervention",
    'titel',
    'vortragstitel',
    'vortrag',
    'عنوان',
    'العنوان',
    'عنوان المحاضرة',
    '标题',
    '演讲标题',
    '题目',
    'タイトル',
    '講演タイトル',
    '演題',
    '발표 제목',
  ],
  role: ['role', 'rol', 'papel', 'função', 'rôle', 'rolle', 'الدور', '角色', '役割', '역할'],
});

/** Words that are the full name alone and a part beside another part (see the module comment). */
const NAME_WORDS = new Set(['name', 'nombre', 'nombres', 'nome', 'nom', 'الاسم', '이름'].map(headerKey));

const MEANING_BY_KEY = new Map<string, HeaderMeaning>();
for (const [meaning, aliases] of Object.entries(HEADER_ALIASES) as [HeaderMeaning, readonly string[]][]) {
  for (const alias of aliases) MEANING_BY_KEY.set(headerKey(alias), meaning);
}
// The spellings of the original import that headerKey alone does not produce.
MEANING_BY_KEY.set('fullname', 'name');
MEANING_BY_KEY.set('speakerid', 'id');

/** What a header names, if anything, before the name words are resolved (resolveNameColumns). */
export function headerMeaning(header: string): HeaderMeaning | undefined {
  return MEANING_BY_KEY.get(headerKey(header));
}

/**
 * The name role of each name column of a header, given each column's meaning: a NAME_WORDS
 * column is the given name beside a family-name column (and no given-name column), the family
 * name beside a given-name column (and no family-name column), else the full name.
 */
export function resolveNameColumns(headers: readonly string[], meanings: readonly (HeaderMeaning | undefined)[]) {
  const hasGiven = meanings.includes('given');
  const hasFamily = meanings.includes('family');
  return meanings.map((meaning, i): NameRole | undefined => {
    if (meaning === 'given' || meaning === 'family') return meaning;
    if (meaning !== 'name') return undefined;
    const key = headerKey(headers[i]!);
    if (!NAME_WORDS.has(key)) return 'full';
    if (hasFamily && !hasGiven) return 'given';
    // `Name` is English and German: the family name only beside a German given-name column
    // (`Vorname;Name`); beside `First Name` it stays the full name, as the import always read it.
    if (hasGiven && !hasFamily && (key !== headerKey('name') || givenIsGerman(headers, meanings))) return 'family';
    return 'full';
  });
}

function givenIsGerman(headers: readonly string[], meanings: readonly (HeaderMeaning | undefined)[]): boolean {
  return headers.some((header, j) => meanings[j] === 'given' && headerKey(header) === headerKey('vorname'));
}

/** Locales whose names are written family name first (the language subtag of a BCP 47 tag). */
const FAMILY_FIRST = new Set(['zh', 'ja', 'ko', 'vi', 'hu']);

/** Han, kana and Hangul (and the marks written between them): names written without spaces. */
const CJK_NAME = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u30FB\u30FC\u00B7]+$/u;

/** The language of a locale tag: `ja-JP` → `ja`, `zh_Hant` → `zh`. */
export function localeLanguage(locale: string | undefined): string {
  return (locale ?? '').trim().toLowerCase().split(/[-_]/, 1)[0] ?? '';
}

/**
 * A name from its parts. Family name first when the locale writes names so (zh, ja, ko, vi, hu)
 * or when both parts are in Han, kana or Hangul (such a name is written family first whatever
 * the event's language: 王 + 芳 is 王芳); given name first otherwise. No space between two parts
 * in those scripts (山田太郎, 김민준), one space otherwise (`Tanaka Taro` in a Japanese event,
 * `Ada Lovelace` elsewhere).
 */
export function joinNameParts(given: string | undefined, family: string | undefined, locale?: string): string {
  const g = given?.trim() ?? '';
  const f = family?.trim() ?? '';
  if (!g || !f) return g || f;
  const cjk = CJK_NAME.test(g) && CJK_NAME.test(f);
  const familyFirst = cjk || FAMILY_FIRST.has(localeLanguage(locale));
  const [first, second] = familyFirst ? [f, g] : [g, f];
  return cjk ? `${first}${second}` : `${first} ${second}`;
}

/** A role id, as shared/roles.ts ROLE_ID_PATTERN spells one: a lower-case ASCII slug of at most 32 characters. */
const ROLE_ID = /^[a-z][a-z0-9-]{0,31}$/;

/** Role names in the eight languages → the built-in role ids (shared/roles.ts BUILT_IN_ROLES). */
const ROLE_WORDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  attendee: [
    'attendee',
    'participant',
    'asistente',
    'participante',
    'teilnehmer',
    'teilnehmerin',
    'مشارك',
    'حضور',
    '参会者',
    '参与者',
    '参加者',
    '참가자',
  ],
  speaker: [
    'speaker',
    'ponente',
    'orador',
    'palestrante',
    'intervenant',
    'conférencier',
    'referent',
    'referentin',
    'sprecher',
    'متحدث',
    '演讲者',
    '讲者',
    '講演者',
    '登壇者',
    '연사',
  ],
  volunteer: [
    'volunteer',
    'voluntario',
    'voluntaria',
    'voluntário',
    'bénévole',
    'freiwilliger',
    'freiwillige',
    'helfer',
    'متطوع',
    '志愿者',
    'ボランティア',
    '자원봉사자',
  ],
  organizer: [
    'organizer',
    'organiser',
    'organizador',
    'organizadora',
    'organisateur',
    'organisatrice',
    'organisator',
    'veranstalter',
    'منظم',
    '组织者',
    '主催者',
    '運営',
    '주최자',
  ],
  reviewer: [
    'reviewer',
    'revisor',
    'revisora',
    'relecteur',
    'relectrice',
    'gutachter',
    'gutachterin',
    'مراجع',
    '评审',
    '査読者',
  ],
  chair: [
    'chair',
    'session chair',
    'presidente',
    'président',
    'présidente',
    'vorsitz',
    'vorsitzende',
    'رئيس الجلسة',
    '主席',
    '座長',
  ],
  sponsor: ['sponsor', 'patrocinador', 'patrocinadora', 'mécène', 'راعٍ', 'راعي', '赞助商', 'スポンサー'],
  moderator: [
    'moderator',
    'moderadora',
    'moderador',
    'modérateur',
    'modératrice',
    'moderatorin',
    'مدير الجلسة',
    '主持人',
    '司会',
  ],
});

const ROLE_BY_KEY = new Map<string, string>();
for (const [role, words] of Object.entries(ROLE_WORDS))
  for (const word of words) ROLE_BY_KEY.set(headerKey(word), role);

/**
 * The role id a cell names: a built-in role in any of the languages (`Voluntario`, `参加者` →
 * `volunteer`, `attendee`), else the cell as a slug (diacritics removed, lower case, runs of other
 * characters as `-`: `Program Committee` → `program-committee`); undefined when that is no role id.
 */
export function roleSlug(value: string): string | undefined {
  const known = ROLE_BY_KEY.get(headerKey(value));
  if (known) return known;
  const slug = value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ROLE_ID.test(slug) ? slug : undefined;
}

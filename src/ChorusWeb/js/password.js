// Règle du mot de passe (guide Chorus Pro) : au moins 8 caractères (au plus 128)
// et au moins 3 des 4 groupes : majuscules, minuscules, chiffres, caractères
// spéciaux (ponctuation, symboles, lettres accentuées…).

export const MIN_LENGTH = 8;
export const MAX_LENGTH = 128;
export const MIN_CLASSES = 3;

export const SCORE_LABELS = ['Très faible', 'Faible', 'Satisfaisant', 'Bon', 'Très bon'];

/** Analyse locale d'un mot de passe. */
export function analyse(password) {
  // Comme le serveur : classes calculées sur la forme NFC, caractères de contrôle ignorés,
  // longueur comptée en caractères perçus (une lettre accentuée compte pour un).
  const chars = Array.from((password || '').normalize('NFC'));
  const classes = {
    upper: chars.some((c) => c >= 'A' && c <= 'Z'),
    lower: chars.some((c) => c >= 'a' && c <= 'z'),
    digit: chars.some((c) => c >= '0' && c <= '9'),
    special: chars.some((c) => !/[A-Za-z0-9]/.test(c) && !/\p{Cc}/u.test(c)),
  };
  const classCount = Object.values(classes).filter(Boolean).length;
  const length = graphemeLength(password || '');
  const rules = {
    minLength: length >= MIN_LENGTH,
    maxLength: length <= MAX_LENGTH,
    classes: classCount >= MIN_CLASSES,
  };
  const valid = rules.minLength && rules.maxLength && rules.classes;
  let score;
  if (!valid) score = length >= MIN_LENGTH || classCount >= MIN_CLASSES ? 1 : 0;
  else if (length >= 16 && classCount === 4) score = 4;
  else if (length >= 12) score = 3;
  else score = 2;
  return { length, classes, classCount, rules, valid, score };
}

function graphemeLength(text) {
  if (typeof Intl !== 'undefined' && Intl.Segmenter) {
    let count = 0;
    for (const _ of new Intl.Segmenter('fr', { granularity: 'grapheme' }).segment(text)) count += 1;
    return count;
  }
  return Array.from(text.normalize('NFC')).length;
}

/** Messages pour les codes de règle renvoyés par POST /api/password-strength. */
export function unmetRuleMessage(code) {
  const key = String(code || '').toLowerCase().replace(/[^a-z0-9]/g, '');
  if (/min|short|tooshort/.test(key) && /length|long|short/.test(key)) return 'Le mot de passe doit comporter au moins 8 caractères.';
  if (/max|toolong/.test(key)) return 'Le mot de passe doit comporter au plus 128 caractères.';
  if (/class|categor|group|complex|charactertype/.test(key)) return 'Le mot de passe doit comporter au moins 3 types de caractères parmi les 4 groupes.';
  if (/email|mail|name|nom|personal|user|identit/.test(key)) return 'Le mot de passe ne doit contenir ni votre adresse électronique, ni votre nom, ni votre prénom.';
  if (/common|breach|pwned|leak|dictionar|known|blacklist|blocklist|frequent/.test(key)) return 'Ce mot de passe est trop courant : choisissez-en un autre.';
  if (/repeat|sequence|pattern/.test(key)) return 'Évitez les répétitions et les suites de caractères (ex. « aaaa », « 1234 »).';
  if (/confirm|match/.test(key)) return 'La confirmation doit être identique au mot de passe.';
  return 'Le mot de passe ne respecte pas l’une des règles de sécurité.';
}

/** Codes couverts par l'analyse locale (déjà affichés dans la liste des règles). */
export function isLocallyExplained(code) {
  const key = String(code || '').toLowerCase().replace(/[^a-z0-9]/g, '');
  return /length|long|short|class|categor|group|charactertype/.test(key) && !/email|name|common/.test(key);
}

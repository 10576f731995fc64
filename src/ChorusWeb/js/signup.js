// Étapes 1 à 3 de l'inscription (application monopage) et reprise après rechargement.
import { api, newIdempotencyKey } from './api.js';
import { el, $, $$, setChildren, focusElement, addToken, removeToken } from './dom.js';
import {
  showErrors, showProblem, clearErrors, setBusy, looksLikeEmail, wireHints,
} from './forms.js';
import { EU, fillCountrySelect } from './countries.js';

const STORAGE_KEY = 'chorus.signupId';
const CAPTCHA_KIND_KEY = 'chorus.captchaKind';
const SITE = 'ChorusFunctions';

const IDENTIFIER_TYPES = [
  {
    code: 'SIRET',
    label: 'Numéro de SIRET',
    hint: '14 chiffres, sans espace. Munissez-vous de ce numéro avant la saisie.',
  },
  {
    code: 'UE_HORS_FRANCE',
    choice: 'Structure européenne hors France',
    label: 'Numéro de TVA intracommunautaire',
    hint: 'Code du pays suivi du numéro, par exemple : DE123456789.',
  },
  {
    code: 'HORS_UE',
    choice: 'Structure hors UE',
    label: "Numéro d'identification de la structure",
    hint: "Numéro d'immatriculation attribué à la structure dans son pays.",
    needsCountry: true,
  },
  {
    code: 'RIDET',
    choice: 'Structure avec RIDET',
    label: 'Numéro RIDET',
    hint: "Numéro du répertoire d'identification des entreprises et des établissements de Nouvelle-Calédonie.",
  },
  {
    code: 'TAHITI',
    choice: 'Structure avec numéro TAHITI',
    label: 'Numéro TAHITI',
    hint: "Numéro d'identification des entreprises de Polynésie française.",
  },
  {
    code: 'PARTICULIER',
    choice: 'Particulier',
    label: 'Identifiant',
    hint: 'Identifiant de votre choix pour votre espace de particulier.',
  },
  {
    code: 'EN_COURS_IMMATRICULATION',
    choice: "En cours d'immatriculation",
    label: 'Identifiant provisoire',
    hint: 'Identifiant provisoire de la structure, en attendant son numéro de SIRET.',
  },
];

const STEP_TITLES = {
  1: 'Identifiez-vous',
  2: 'Complétez les informations demandées',
  3: 'Ouvrez vos espaces de travail',
  done: 'Activez votre compte utilisateur',
};

const DETAILS_ALIASES = {
  captcha: 'captcha.answer',
  'captcha.id': 'captcha.answer',
  'features.paymentRequests': 'features',
  'features.dume': 'features',
  'structure.identifier': 'structure.identifier',
};

// Le captcha de l'étape 2 : l'image, ou pour qui ne peut pas la lire (RGAA 1.4 et 1.5), une question en texte.
const CAPTCHA_TEXTS = {
  image: {
    label: "Entrez les caractères générés par l'image",
    hint: "Recopiez les caractères affichés dans l'image ci-dessous. Si vous ne parvenez pas à les lire, affichez une autre image ou recevez une question à la place.",
    refresh: 'Nouvelle image',
    switchTo: "Je ne peux pas lire l'image : recevoir une question",
    missing: 'Saisissez les caractères affichés dans l’image.',
    switched: 'L’image est de nouveau affichée.',
  },
  text: {
    label: 'Répondez à la question',
    hint: 'Quelques caractères suffisent : majuscules, accents et espaces ne comptent pas, et un nombre peut s’écrire en chiffres ou en lettres.',
    refresh: 'Nouvelle question',
    switchTo: "Revenir à l'image",
    missing: 'Répondez à la question.',
    switched: 'Une question remplace l’image.',
  },
};

const state = {
  signupId: null,
  signup: null,
  catalog: null,
  captcha: null,
  captchaKind: storedCaptchaKind(),
  captchaLoad: 0,
  submitted: { identify: null, details: null },
  view: null,
  pollToken: 0,
  // The step 1 request being tried and its Idempotency-Key, kept until the server has answered it for good.
  identifyAttempt: null,
};

// ---------------------------------------------------------------- éléments

const summary = $('#error-summary');
const pageStatus = $('#page-status');
const formIdentify = $('#form-identify');
const formDetails = $('#form-details');
const formWorkspaces = $('#form-workspaces');
const sections = {
  loading: $('#step-loading'),
  1: $('#step-1'),
  2: $('#step-2'),
  3: $('#step-3'),
  done: $('#step-done'),
  final: $('#step-final'),
};

// ---------------------------------------------------------------- navigation

function storedId() {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Le type de captcha choisi par l'utilisateur, gardé pour la session (une reprise ne lui redemande pas). */
function storedCaptchaKind() {
  try {
    return sessionStorage.getItem(CAPTCHA_KIND_KEY) === 'text' ? 'text' : 'image';
  } catch {
    return 'image';
  }
}

function storeCaptchaKind(kind) {
  try {
    if (kind === 'text') sessionStorage.setItem(CAPTCHA_KIND_KEY, kind);
    else sessionStorage.removeItem(CAPTCHA_KIND_KEY);
  } catch {
    /* stockage indisponible : l'image sera proposée par défaut */
  }
}

function storeId(id) {
  try {
    if (id) sessionStorage.setItem(STORAGE_KEY, id);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    /* stockage indisponible : l'inscription ne sera simplement pas reprise */
  }
}

/** Étape la plus avancée autorisée par le statut de l'inscription. */
function allowedViews() {
  const status = state.signup && state.signup.status;
  if (!state.signupId || !status) return [1];
  if (status === 'AwaitingDetails') return [1, 2];
  if (status === 'AwaitingWorkspaces') return [1, 2, 3];
  if (status === 'AwaitingActivation') return ['done'];
  return ['final'];
}

function updateStepIndicator(view) {
  const current = view === 'done' ? 4 : view === 'final' ? (state.signup && state.signup.status === 'Active' ? 5 : 0) : Number(view);
  for (const item of $$('#steps li')) {
    const step = Number(item.dataset.step);
    item.classList.toggle('is-done', current > 0 && step < current);
    item.classList.toggle('is-current', step === current);
    const stateText = $('.step-state', item);
    if (step === current) {
      item.setAttribute('aria-current', 'step');
      stateText.textContent = ' (étape en cours)';
    } else {
      item.removeAttribute('aria-current');
      stateText.textContent = current > 0 && step < current ? ' (étape terminée)' : ' (étape à venir)';
    }
  }
  const counter = $('#step-counter');
  counter.textContent = current >= 1 && current <= 4 ? `Étape ${current} sur 4` : '';
}

function showView(view, { focus = true, push = true, title } = {}) {
  state.view = view;
  for (const [key, section] of Object.entries(sections)) section.hidden = String(key) !== String(view);
  updateStepIndicator(view);
  const heading = title || STEP_TITLES[view] || $('h2', sections[view]).textContent;
  const stepNumber = view === 'done' ? 4 : Number(view);
  document.title = stepNumber >= 1 && stepNumber <= 4
    ? `Étape ${stepNumber} sur 4 : ${heading} – ${SITE}`
    : `${heading} – ${SITE}`;
  if (push && view !== 'loading') {
    const entry = { chorusView: String(view) };
    if (history.state && history.state.chorusView) history.pushState(entry, '');
    else history.replaceState(entry, '');
  }
  if (focus) focusElement($('h2', sections[view]));
}

window.addEventListener('popstate', (event) => {
  const wanted = event.state && event.state.chorusView;
  if (!wanted) return;
  const view = /^\d$/.test(wanted) ? Number(wanted) : wanted;
  const allowed = allowedViews();
  const target = allowed.includes(view) ? view : allowed[allowed.length - 1];
  clearErrors(document.body, summary);
  enterView(target, { push: false });
});

function enterView(view, options = {}) {
  if (view === 1) return enterIdentify(options);
  if (view === 2) return enterDetails(options);
  if (view === 3) return enterWorkspaces(options);
  if (view === 'done') return enterDone(options);
  return showFinal(state.signup ? state.signup.status : 'NotFound', options);
}

function announce(message) {
  pageStatus.textContent = '';
  window.setTimeout(() => { pageStatus.textContent = message; }, 50);
}

// ---------------------------------------------------------------- étape 1

function typeInfo(code) {
  return IDENTIFIER_TYPES.find((t) => t.code === code) || IDENTIFIER_TYPES[0];
}

function buildIdentifierChoices() {
  const container = $('#identifier-type-choices');
  for (const type of IDENTIFIER_TYPES.slice(1)) {
    const id = `type-${type.code}`;
    container.append(el('div', { className: 'choice' },
      el('input', { type: 'radio', name: 'identifierType', id, value: type.code }),
      el('label', { htmlFor: id, text: type.choice })));
  }
  container.addEventListener('change', updateIdentifierUi);
  $('#noSiret').addEventListener('change', updateIdentifierUi);
  fillCountrySelect($('#country'), { filter: (code) => !EU.has(code) });
}

function selectedType() {
  if (!$('#noSiret').checked) return 'SIRET';
  const checked = $('input[name="identifierType"]:checked', formIdentify);
  return checked ? checked.value : null;
}

function updateIdentifierUi() {
  const noSiret = $('#noSiret').checked;
  $('#identifier-type-group').hidden = !noSiret;
  $('#noSiret').setAttribute('aria-expanded', String(noSiret));
  const type = selectedType();
  const info = type ? typeInfo(type) : null;
  $('#country-field').hidden = !(info && info.needsCountry);
  $('#identifier-field').hidden = noSiret && !type;
  if (info) {
    $('#identifier-label').textContent = info.label;
    $('#identifier-hint').textContent = info.hint;
    $('#identifier').inputMode = info.code === 'SIRET' ? 'numeric' : 'text';
  }
}

function readIdentify() {
  const identifierType = selectedType();
  const raw = $('#identifier').value.trim();
  const payload = {
    loginEmail: $('#loginEmail').value.trim(),
    identifierType,
    identifier: identifierType === 'SIRET' ? raw.replace(/[\s.]/g, '') : raw,
  };
  if (identifierType === 'HORS_UE') payload.country = $('#country').value;
  return payload;
}

function validateIdentify(payload) {
  const errors = [];
  if (!payload.loginEmail) errors.push({ path: 'loginEmail', message: 'Saisissez votre adresse électronique de connexion.' });
  else if (!looksLikeEmail(payload.loginEmail)) errors.push({ path: 'loginEmail', message: 'Saisissez une adresse électronique valide, au format nom@domaine.fr.' });
  if (!payload.identifierType) {
    errors.push({ path: 'identifierType', message: 'Choisissez le type de votre structure.' });
    return errors;
  }
  if (payload.identifierType === 'HORS_UE' && !payload.country) errors.push({ path: 'country', message: 'Choisissez le pays de la structure.' });
  if (payload.identifierType === 'SIRET') {
    if (!payload.identifier) errors.push({ path: 'identifier', message: 'Saisissez le numéro de SIRET de votre entreprise.' });
    else if (!/^\d{14}$/.test(payload.identifier)) errors.push({ path: 'identifier', message: 'Le numéro de SIRET doit comporter exactement 14 chiffres.' });
  } else if (!payload.identifier) {
    errors.push({ path: 'identifier', message: `Saisissez le ${typeInfo(payload.identifierType).label.charAt(0).toLowerCase()}${typeInfo(payload.identifierType).label.slice(1)}.` });
  }
  return errors;
}

function fillIdentifyFromSignup(view) {
  if (!view) return;
  if (view.loginEmail) $('#loginEmail').value = view.loginEmail;
  const s = view.structure || {};
  if (s.identifierType) {
    $('#noSiret').checked = s.identifierType !== 'SIRET';
    const radio = $(`#type-${s.identifierType}`);
    if (radio) radio.checked = true;
    if (s.identifierType === 'HORS_UE' && s.country) $('#country').value = s.country;
  }
  if (s.identifier) $('#identifier').value = s.identifier;
  updateIdentifierUi();
}

function enterIdentify(options = {}) {
  const notice = $('#step-1-notice');
  notice.replaceChildren();
  if (state.signupId && state.signup) {
    notice.append(el('div', { className: 'callout' },
      el('p', {}, 'Votre inscription est en cours. Si vous ne modifiez pas ces informations, cliquez sur « Suivant » pour la poursuivre ; si vous les modifiez, une nouvelle inscription sera créée.')));
  }
  showView(1, options);
}

async function onIdentifySubmit(event) {
  event.preventDefault();
  const payload = readIdentify();
  const errors = validateIdentify(payload);
  if (errors.length) {
    showErrors(formIdentify, summary, errors);
    return;
  }
  clearErrors(formIdentify, summary);
  const key = JSON.stringify(payload);
  if (state.signupId && state.submitted.identify === key) {
    enterDetails();
    return;
  }
  const button = $('#identify-submit');
  setBusy(formIdentify, true, button, 'Vérification…');
  const proof = await proveWork();
  if (proof.problem) {
    setBusy(formIdentify, false, button);
    showProblem(formIdentify, summary, proof.problem);
    return;
  }
  if (state.signupId) {
    // The identity changed: the signup in progress is abandoned, so its login email is free for the new one.
    await api.delete(`/api/signups/${encodeURIComponent(state.signupId)}`);
  }
  // The same identification sent again after a failure that may have reached the server (no answer, 5xx) keeps its
  // key, so the server answers with the signup the first attempt created instead of refusing the email as taken.
  if (!state.identifyAttempt || state.identifyAttempt.payload !== key) {
    state.identifyAttempt = { payload: key, idempotencyKey: newIdempotencyKey() };
  }
  const body = proof.solution ? { ...payload, proofOfWork: proof.solution } : payload;
  const res = await api.post('/api/signups', body, { headers: { 'Idempotency-Key': state.identifyAttempt.idempotencyKey } });
  setBusy(formIdentify, false, button);
  // A refused proof of work changed nothing on the server: the retry, with a new one, keeps the key.
  const powRefused = Boolean(res.problem && /^proof_of_work_/.test(res.problem.code || ''));
  if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 408 && !powRefused)) {
    state.identifyAttempt = null;
  }
  if (!res.ok) {
    showProblem(formIdentify, summary, res.problem, { fallbackPath: res.status === 409 ? 'loginEmail' : undefined });
    return;
  }
  const signup = { ...res.data };
  if (!signup.loginEmail) signup.loginEmail = payload.loginEmail;
  const previousIdentifier = state.signup && state.signup.structure ? state.signup.structure.identifier : null;
  state.signupId = signup.signupId;
  state.signup = signup;
  storeId(signup.signupId);
  state.submitted.identify = key;
  state.submitted.details = null;
  fillDetailsFromSignup(signup, { structure: previousIdentifier !== (signup.structure || {}).identifier, personal: false });
  enterDetails();
}

// ---------------------------------------------------------------- preuve de travail (étape 1)

// Un calcul d'environ une seconde, invisible, que le serveur exige à l'étape 1 : un robot le paie à chaque
// inscription. Il tourne dans un Web Worker pour que la page reste utilisable (clavier, lecteur d'écran).
const POW_UNSUPPORTED = "Votre navigateur ne permet pas la vérification automatique demandée à cette étape (WebCrypto ou Web Workers indisponibles, par exemple si la page n'est pas ouverte en https). Ouvrez le site à son adresse commençant par « https:// » dans un navigateur à jour (Firefox, Chrome, Edge ou Safari), puis cliquez de nouveau sur « Suivant ».";
const POW_FAILED = "La vérification automatique de votre navigateur n'a pas abouti. Cliquez de nouveau sur « Suivant » pour la relancer.";

function powSupported() {
  return typeof Worker === 'function' && window.isSecureContext !== false && Boolean(window.crypto && crypto.subtle);
}

/** Résout le calcul dans un Web Worker : le nombre trouvé, ou une erreur ('unsupported', 'failed'). */
function runPowWorker(challenge) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pow-worker.js', import.meta.url));
    worker.onmessage = (event) => {
      worker.terminate();
      const data = event.data || {};
      if (data.error || typeof data.number !== 'number') reject(new Error(data.error || 'failed'));
      else resolve(data.number);
    };
    worker.onerror = () => {
      worker.terminate();
      reject(new Error('unsupported'));
    };
    worker.postMessage({ challenge: challenge.challenge, salt: challenge.salt, maxNumber: challenge.maxNumber });
  });
}

/** Un défi neuf, résolu : { solution } (null si aucun n'est demandé) ou { problem } à afficher. */
async function proveWork() {
  const res = await api.get('/api/proof-of-work');
  if (!res.ok) return { problem: res.problem };
  const challenge = res.data;
  if (!challenge || !challenge.required) return { solution: null };
  if (!powSupported()) return { problem: { detail: POW_UNSUPPORTED, errors: {} } };
  announce('Vérification automatique de votre navigateur en cours, cela prend quelques secondes.');
  try {
    const number = await runPowWorker(challenge);
    const { algorithm, salt, signature } = challenge;
    return { solution: { algorithm, challenge: challenge.challenge, salt, number, signature } };
  } catch (error) {
    return { problem: { detail: error && error.message === 'failed' ? POW_FAILED : POW_UNSUPPORTED, errors: {} } };
  }
}

// ---------------------------------------------------------------- étape 2

function structureInputs() {
  return $$('[data-structure]', formDetails);
}

function defaultCountry(structure) {
  if (structure.country) return structure.country.toUpperCase();
  if (structure.identifierType === 'UE_HORS_FRANCE' && /^[A-Za-z]{2}/.test(structure.identifier || '')) {
    const prefix = structure.identifier.slice(0, 2).toUpperCase();
    return prefix === 'EL' ? 'GR' : prefix;
  }
  return 'FR';
}

function fillDetailsFromSignup(signup, { structure = true, personal = true } = {}) {
  const s = signup.structure || {};
  $('#d-loginEmail').value = signup.loginEmail || '';
  $('#s-identifier').value = s.identifier || '';
  if (structure) {
    $('#s-companyName').value = s.companyName || '';
    $('#s-label').value = s.label || '';
    $('#s-address').value = s.address || '';
    $('#s-addressComplement1').value = s.addressComplement1 || '';
    $('#s-addressComplement2').value = s.addressComplement2 || '';
    $('#s-postalCode').value = s.postalCode || '';
    $('#s-city').value = s.city || '';
    fillCountrySelect($('#s-country'), { value: defaultCountry(s) });
  }
  if (personal) {
    if (signup.lastName) $('#lastName').value = signup.lastName;
    if (signup.firstName) $('#firstName').value = signup.firstName;
    if (signup.contactEmail) $('#contactEmail').value = signup.contactEmail;
    if (signup.features) {
      $('#f-paymentRequests').checked = Boolean(signup.features.paymentRequests);
      $('#f-dume').checked = Boolean(signup.features.dume);
    }
    if (signup.status && signup.status !== 'AwaitingDetails' && signup.loginEmail && !$('#loginEmailConfirmation').value) {
      $('#loginEmailConfirmation').value = signup.loginEmail;
    }
  }
  if (!$('#contactEmail').value || $('#contactEmail').dataset.autofilled === 'true') {
    $('#contactEmail').value = signup.contactEmail || signup.loginEmail || '';
    $('#contactEmail').dataset.autofilled = 'true';
  }
  renderStructureMode(s);
}

function renderStructureMode(s) {
  const exists = Boolean(s.exists);
  const notice = $('#structure-notice');
  notice.replaceChildren();
  $('#structure-legend').textContent = exists ? 'Ma structure' : 'Je crée ma structure';
  if (exists) {
    notice.append(el('div', { className: 'alert alert-info' },
      el('p', { className: 'alert-title', text: 'Cette structure existe déjà sur le portail' }),
      el('p', { text: 'Ses informations ne sont pas modifiables ici. Une demande de rattachement sera envoyée à son gestionnaire principal, qui pourra l’accepter ou la refuser.' })));
  } else if (s.prefilled) {
    notice.append(el('div', { className: 'callout' },
      el('p', { text: 'Les champs concernant votre structure sont alimentés avec les données de la base INSEE mais restent néanmoins modifiables. Nous vous invitons à vérifier ces données et à les modifier si besoin.' })));
  } else {
    notice.append(el('div', { className: 'callout' },
      el('p', { text: 'Votre structure n’a pas été trouvée dans le répertoire des entreprises : renseignez ses informations ci-dessous.' })));
  }
  for (const input of structureInputs()) {
    if (input.tagName === 'SELECT') input.disabled = exists;
    else input.readOnly = exists;
    if (input.hasAttribute('data-required')) {
      if (exists) input.removeAttribute('aria-required');
      else input.setAttribute('aria-required', 'true');
    }
  }
  for (const star of $$('.req', $('#structure-panel'))) star.hidden = exists;
}

function structureExists() {
  return Boolean(state.signup && state.signup.structure && state.signup.structure.exists);
}

function value(selector) {
  return $(selector).value.trim();
}

function orNull(text) {
  return text ? text : null;
}

function buildDetails() {
  return {
    loginEmailConfirmation: value('#loginEmailConfirmation'),
    lastName: value('#lastName'),
    firstName: value('#firstName'),
    contactEmail: orNull(value('#contactEmail')),
    captcha: null,
    structure: {
      companyName: orNull(value('#s-companyName')),
      label: orNull(value('#s-label')),
      address: value('#s-address'),
      addressComplement1: orNull(value('#s-addressComplement1')),
      addressComplement2: orNull(value('#s-addressComplement2')),
      postalCode: value('#s-postalCode'),
      city: value('#s-city'),
      country: $('#s-country').value,
    },
    features: {
      paymentRequests: $('#f-paymentRequests').checked,
      dume: $('#f-dume').checked,
    },
  };
}

function validateDetails(payload) {
  const errors = [];
  const login = (state.signup && state.signup.loginEmail) || '';
  if (!payload.loginEmailConfirmation) errors.push({ path: 'loginEmailConfirmation', message: 'Ressaisissez votre adresse électronique de connexion.' });
  else if (payload.loginEmailConfirmation.toLowerCase() !== login.trim().toLowerCase()) {
    errors.push({ path: 'loginEmailConfirmation', message: 'Les deux adresses électroniques de connexion ne sont pas identiques.' });
  }
  if (!payload.lastName) errors.push({ path: 'lastName', message: 'Saisissez votre nom.' });
  if (!payload.firstName) errors.push({ path: 'firstName', message: 'Saisissez votre prénom.' });
  if (state.captcha && !value('#captchaAnswer')) errors.push({ path: 'captcha.answer', message: CAPTCHA_TEXTS[state.captcha.kind].missing });
  if (payload.contactEmail && !looksLikeEmail(payload.contactEmail)) {
    errors.push({ path: 'contactEmail', message: 'Saisissez une adresse électronique de contact valide, au format nom@domaine.fr, ou laissez le champ vide.' });
  }
  if (!structureExists()) {
    const s = payload.structure;
    if (!s.companyName) errors.push({ path: 'structure.companyName', message: 'Saisissez la raison sociale de la structure.' });
    if (!s.address) errors.push({ path: 'structure.address', message: 'Saisissez l’adresse de la structure.' });
    if (!s.postalCode) errors.push({ path: 'structure.postalCode', message: 'Saisissez le code postal.' });
    else if (s.country === 'FR' && !/^\d{5}$/.test(s.postalCode)) errors.push({ path: 'structure.postalCode', message: 'Le code postal doit comporter 5 chiffres.' });
    else if (!/^[A-Za-z0-9 -]+$/.test(s.postalCode)) errors.push({ path: 'structure.postalCode', message: 'Le code postal ne doit contenir que des lettres, des chiffres, des espaces ou des tirets.' });
    if (!s.city) errors.push({ path: 'structure.city', message: 'Saisissez la ville.' });
    if (!s.country) errors.push({ path: 'structure.country', message: 'Choisissez le pays.' });
  }
  if (!payload.features.paymentRequests && !payload.features.dume) {
    errors.push({ path: 'features', message: 'Cochez au moins une fonctionnalité.' });
  }
  return errors;
}

/** Libellé, indication, boutons et zone affichée (image ou question) selon le type de captcha. */
function renderCaptchaKind(kind) {
  const texts = CAPTCHA_TEXTS[kind];
  const isText = kind === 'text';
  $('#captcha-label-text').textContent = texts.label;
  $('#captcha-hint').textContent = texts.hint;
  $('#captcha-refresh').textContent = texts.refresh;
  $('#captcha-switch').textContent = texts.switchTo;
  $('#captcha-image').hidden = isText;
  $('#captcha-question').hidden = !isText;
  const input = $('#captchaAnswer');
  // La question est lue avec le champ, avant l'indication.
  removeToken(input, 'aria-describedby', 'captcha-question');
  if (isText) {
    const others = input.getAttribute('aria-describedby') || '';
    input.setAttribute('aria-describedby', `captcha-question ${others}`.trim());
  }
}

function captchaIsValid(data, kind) {
  if (!data || data.required !== true || typeof data.id !== 'string') return false;
  if (kind === 'text') return typeof data.question === 'string' && data.question.trim().length > 0;
  return typeof data.image === 'string' && data.image.startsWith('data:image/');
}

/**
 * Charge un nouveau captcha du type demandé (l'image par défaut, ou la question choisie par l'utilisateur).
 * La question est rendue comme du texte. En cas d'échec, ce qui était affiché reste et le problème est dit
 * dans le champ. Renvoie true quand un nouveau captcha est affiché.
 */
async function loadCaptcha({ kind = state.captchaKind, clear = true, message = null, focusAnswer = false } = {}) {
  const field = $('#captcha-field');
  const problem = $('#captcha-problem');
  const load = ++state.captchaLoad;
  const res = await api.get(kind === 'text' ? '/api/captcha?kind=text' : '/api/captcha');
  if (load !== state.captchaLoad) return false;
  const data = res.ok ? res.data : null;
  if (data && data.required === false) {
    state.captcha = null;
    field.hidden = true;
    return false;
  }
  if (!captchaIsValid(data, kind)) {
    setChildren(problem, res.ok ? 'Le contrôle n’a pas pu être chargé. Réessayez dans quelques instants.' : res.problem.detail);
    problem.hidden = false;
    if (!state.captcha) {
      $('#captcha-image').hidden = true;
      $('#captcha-question').hidden = true;
    }
    field.hidden = false;
    announce(problem.textContent);
    return false;
  }
  problem.hidden = true;
  problem.replaceChildren();
  state.captcha = { id: data.id, kind };
  state.captchaKind = kind;
  storeCaptchaKind(kind);
  renderCaptchaKind(kind);
  if (kind === 'text') $('#captcha-question').textContent = data.question;
  else $('#captcha-image').src = data.image;
  if (clear) $('#captchaAnswer').value = '';
  field.hidden = false;
  if (message) announce(typeof message === 'function' ? message(data) : message);
  if (focusAnswer) $('#captchaAnswer').focus();
  return true;
}

function refreshCaptcha() {
  return loadCaptcha({
    message: (data) => (state.captchaKind === 'text' ? `Nouvelle question : ${data.question}` : 'Une nouvelle image a été affichée.'),
  });
}

/** « Je ne peux pas lire l'image » ↔ « Revenir à l'image » : le focus va au champ de réponse. */
function switchCaptchaKind() {
  const kind = state.captchaKind === 'text' ? 'image' : 'text';
  return loadCaptcha({ kind, focusAnswer: true, message: CAPTCHA_TEXTS[kind].switched });
}

async function enterDetails(options = {}) {
  if (!state.signup) return enterIdentify(options);
  $('#d-loginEmail').value = state.signup.loginEmail || $('#loginEmail').value.trim();
  showView(2, options);
  if (!state.captcha) await loadCaptcha();
}

async function onDetailsSubmit(event) {
  event.preventDefault();
  const payload = buildDetails();
  const key = JSON.stringify(payload);
  if (state.submitted.details === key && state.signup.status === 'AwaitingWorkspaces') {
    clearErrors(formDetails, summary);
    enterWorkspaces();
    return;
  }
  const errors = validateDetails(payload);
  if (errors.length) {
    showErrors(formDetails, summary, errors, { aliases: DETAILS_ALIASES });
    return;
  }
  clearErrors(formDetails, summary);
  if (state.captcha) payload.captcha = { id: state.captcha.id, answer: value('#captchaAnswer') };
  const button = $('#details-submit');
  setBusy(formDetails, true, button, 'Enregistrement…');
  const res = await api.put(`/api/signups/${encodeURIComponent(state.signupId)}/details`, payload);
  setBusy(formDetails, false, button);
  if (!res.ok) {
    if (await handleLifecycleFailure(res)) return;
    // Une image ou une question ne sert qu'une fois : la réponse est effacée et un nouveau captcha chargé avant
    // d'afficher l'erreur, pour que le focus arrive sur le nouveau (la question est lue avec le champ).
    if (state.captcha) await loadCaptcha();
    showProblem(formDetails, summary, res.problem, { aliases: DETAILS_ALIASES });
    return;
  }
  state.captcha = null;
  state.signup = { ...state.signup, ...(res.data || {}), status: (res.data && res.data.status) || 'AwaitingWorkspaces' };
  state.submitted.details = key;
  enterWorkspaces();
}

// ---------------------------------------------------------------- étape 3

let catalogPromise = null;

/** Charge la liste des espaces une seule fois (le bouton Valider attend la liste). */
function loadCatalog() {
  if (state.catalog) return Promise.resolve(true);
  if (!catalogPromise) {
    const button = $('#workspaces-submit');
    button.disabled = true;
    catalogPromise = api.get('/api/workspaces').then((res) => {
      catalogPromise = null;
      button.disabled = false;
      if (!res.ok || !Array.isArray(res.data)) {
        showErrors(formWorkspaces, summary, [], { general: [res.ok ? 'La liste des espaces de travail est indisponible.' : res.problem.detail] });
        return false;
      }
      state.catalog = res.data;
      renderWorkspaces();
      return true;
    });
  }
  return catalogPromise;
}

function renderWorkspaces() {
  const body = $('#workspaces-body');
  body.replaceChildren();
  for (const ws of state.catalog) {
    const code = String(ws.code);
    const safe = code.replace(/[^A-Za-z0-9_-]/g, '_');
    const nameId = `ws-${safe}-name`;
    const radios = el('fieldset', {},
      el('legend', { className: 'sr-only', text: `Activation de l'espace ${ws.label}` }),
      ...[['oui', 'Oui'], ['non', 'Non']].map(([v, text]) => {
        const id = `ws-${safe}-${v}`;
        return el('div', { className: 'choice' },
          el('input', { type: 'radio', name: `ws-${safe}`, id, value: v, dataset: { code } }),
          el('label', { htmlFor: id, className: 'yes-no', text }));
      }));
    const row = el('tr', { dataset: { code } },
      el('th', { scope: 'row', id: nameId, text: ws.label }),
      el('td', { text: ws.description || '' }),
      el('td', { className: 'activation' }, radios));
    body.append(row);
  }
  applyWorkspaceSelection(null);
}

function applyWorkspaceSelection(selected) {
  for (const ws of state.catalog) {
    const on = Array.isArray(selected) ? selected.includes(ws.code) : Boolean(ws.enabledByDefault);
    const input = $(`input[data-code="${CSS.escape(String(ws.code))}"][value="${on ? 'oui' : 'non'}"]`, formWorkspaces);
    if (input) input.checked = true;
  }
  updateWorkspaceRows();
}

function selectedWorkspaces() {
  return $$('input[type="radio"][value="oui"]:checked', formWorkspaces).map((input) => input.dataset.code);
}

function updateWorkspaceRows() {
  const selected = selectedWorkspaces();
  for (const row of $$('#workspaces-body tr')) row.classList.toggle('is-on', selected.includes(row.dataset.code));
  const n = selected.length;
  $('#workspaces-count').textContent = `${n} espace${n > 1 ? 's' : ''} activé${n > 1 ? 's' : ''} sur ${state.catalog.length}.`;
}

async function enterWorkspaces(options = {}) {
  const s = (state.signup && state.signup.structure) || {};
  const signup = state.signup || {};
  const name = s.companyName || s.label || [signup.firstName, signup.lastName].filter(Boolean).join(' ');
  $('#welcome').textContent = name ? `Bienvenue ${name}` : 'Bienvenue';
  setChildren($('#account-line'), 'Vos informations ont été enregistrées pour le compte utilisateur ',
    el('strong', { text: signup.loginEmail || '' }), '. Il sera créé dès que vous aurez validé vos espaces de travail.');
  showView(3, options);
  const firstLoad = !state.catalog;
  if (await loadCatalog()) {
    if (firstLoad && Array.isArray(signup.workspaces)) applyWorkspaceSelection(signup.workspaces);
  }
}

async function onWorkspacesSubmit(event) {
  event.preventDefault();
  if (!state.catalog && !(await loadCatalog())) return;
  clearErrors(formWorkspaces, summary);
  const workspaces = selectedWorkspaces();
  if (!workspaces.length) {
    showErrors(formWorkspaces, summary, [{ path: 'workspaces', message: 'Activez au moins un espace de travail.' }]);
    return;
  }
  const button = $('#workspaces-submit');
  setBusy(formWorkspaces, true, button, 'Création du compte…');
  const res = await api.put(`/api/signups/${encodeURIComponent(state.signupId)}/workspaces`, { workspaces });
  setBusy(formWorkspaces, false, button);
  if (!res.ok) {
    if (await handleLifecycleFailure(res)) return;
    if (res.status === 409 && (await resync())) return;
    showProblem(formWorkspaces, summary, res.problem);
    return;
  }
  state.signup = { ...state.signup, workspaces, status: 'AwaitingActivation', emailDelivery: 'Pending', role: null, membership: null };
  enterDone({ justSubmitted: true });
}

// ---------------------------------------------------------------- compte créé : activation par courriel

function renderDoneDetails(signup, { settled }) {
  $('#done-pending').hidden = settled;
  $('#done-message').hidden = !settled;
  const role = $('#done-role');
  role.replaceChildren();
  if (signup.role === 'GestionnairePrincipal') {
    role.append(el('div', { className: 'alert alert-info' },
      el('p', { className: 'alert-title', text: 'Vous êtes gestionnaire principal de votre structure' }),
      el('p', { text: 'Vous êtes le premier à créer votre structure sur le portail : vous en êtes le gestionnaire principal et avez tous les droits de modification sur celle-ci.' })));
  } else if (signup.membership === 'PendingApproval') {
    role.append(el('div', { className: 'alert alert-info' },
      el('p', { className: 'alert-title', text: 'Demande de rattachement envoyée' }),
      el('p', { text: 'Votre structure existe déjà sur le portail : une demande de rattachement a été envoyée à son gestionnaire principal. Vous aurez accès à la structure dès qu’il l’aura acceptée.' })));
  } else if (signup.membership === 'Refused') {
    role.append(el('div', { className: 'alert alert-warning' },
      el('p', { className: 'alert-title', text: 'Demande de rattachement refusée' }),
      el('p', { text: 'Le gestionnaire principal de la structure a refusé votre demande de rattachement.' })));
  } else if (!signup.role && signup.status === 'AwaitingActivation') {
    // Le rôle se décide à l’activation : le premier compte activé d’une structure en devient le gestionnaire principal.
    const joining = Boolean(signup.structure && signup.structure.exists);
    role.append(el('div', { className: 'alert alert-info' },
      el('p', { className: 'alert-title', text: joining ? 'Une demande de rattachement suivra l’activation' : 'Votre rôle sera fixé à l’activation' }),
      el('p', { text: joining
        ? 'Votre structure existe déjà sur le portail : dès l’activation de votre compte, une demande de rattachement sera envoyée à son gestionnaire principal.'
        : 'Si votre compte est le premier de votre structure à être activé, vous en deviendrez le gestionnaire principal ; sinon, une demande de rattachement sera envoyée à son gestionnaire principal.' })));
  }
  const emailProblem = $('#done-email-problem');
  emailProblem.replaceChildren();
  if (signup.emailDelivery === 'Failed') {
    emailProblem.append(el('div', { className: 'alert alert-warning' },
      el('p', { className: 'alert-title', text: 'Le courriel d’activation n’a pas pu être envoyé' }),
      el('p', { text: 'Utilisez le bouton « Recevoir un nouveau lien » ci-dessous pour réessayer.' })));
  }
}

function isSettled(signup) {
  return signup.status !== 'AwaitingWorkspaces' && signup.emailDelivery !== 'Pending';
}

async function enterDone(options = {}) {
  $('#resend-status').replaceChildren();
  const signup = state.signup;
  renderDoneDetails(signup, { settled: !options.justSubmitted && isSettled(signup) });
  const { justSubmitted, ...viewOptions } = options;
  showView('done', viewOptions);
  if (justSubmitted || !isSettled(signup)) await pollUntilSettled();
}

async function pollUntilSettled() {
  const token = ++state.pollToken;
  for (let attempt = 0; attempt < 30; attempt += 1) {
    await new Promise((resolve) => { window.setTimeout(resolve, attempt < 5 ? 500 : 1000); });
    if (token !== state.pollToken || state.view !== 'done') return;
    const res = await api.get(`/api/signups/${encodeURIComponent(state.signupId)}`);
    if (token !== state.pollToken || state.view !== 'done') return;
    if (!res.ok) {
      if (res.status === 404 || res.status === 410) {
        await handleLifecycleFailure(res);
        return;
      }
      continue;
    }
    state.signup = { ...state.signup, ...res.data };
    const status = state.signup.status;
    if (status === 'Expired' || status === 'Cancelled' || status === 'Active') {
      showFinal(status);
      return;
    }
    if (isSettled(state.signup)) {
      renderDoneDetails(state.signup, { settled: true });
      announce('Votre compte est créé et un courriel d’activation a été envoyé à l’adresse électronique que vous avez renseignée.');
      return;
    }
  }
  // Délai dépassé : la demande est enregistrée, le courriel partira dès que possible.
  renderDoneDetails(state.signup, { settled: true });
}

async function onResend() {
  const button = $('#resend-link');
  const status = $('#resend-status');
  status.replaceChildren();
  button.disabled = true;
  const res = await api.post(`/api/signups/${encodeURIComponent(state.signupId)}/activation-email`);
  button.disabled = false;
  if (res.ok) {
    status.append(el('p', { className: 'alert alert-success' },
      'Un nouveau courriel d’activation vous a été envoyé. Seul le lien de ce dernier courriel est valable.'));
    return;
  }
  if (await handleLifecycleFailure(res)) return;
  status.append(el('p', { className: 'alert alert-error' }, res.problem.detail));
}

// ---------------------------------------------------------------- fin, expiration, annulation

function showFinal(status, options = {}) {
  state.pollToken += 1;
  const body = $('#final-body');
  body.replaceChildren();
  let title;
  if (status === 'Active') {
    title = 'Votre compte est actif';
    body.append(el('div', { className: 'alert alert-success' },
      el('p', { className: 'alert-title', text: 'Votre compte est désormais actif.' }),
      el('p', { text: 'Vous pouvez dès à présent transmettre vos factures à votre client public.' })));
  } else if (status === 'Cancelled') {
    title = 'Votre inscription a été annulée';
    body.append(el('div', { className: 'alert alert-info' },
      el('p', { className: 'alert-title', text: 'Ce compte a été désactivé.' }),
      el('p', { text: 'Votre adresse électronique de connexion peut de nouveau être utilisée pour une inscription.' })));
  } else if (status === 'Expired') {
    title = 'Votre inscription a expiré';
    body.append(el('div', { className: 'alert alert-warning' },
      el('p', { className: 'alert-title', text: 'Le délai pour terminer votre inscription est dépassé.' }),
      el('p', { text: 'Les informations saisies ont été supprimées. Vous pouvez recommencer votre inscription.' })));
  } else {
    title = 'Inscription introuvable';
    body.append(el('div', { className: 'alert alert-warning' },
      el('p', { className: 'alert-title', text: 'Nous ne retrouvons pas votre inscription.' }),
      el('p', { text: 'Elle a peut-être expiré. Vous pouvez recommencer votre inscription.' })));
  }
  if (status !== 'Active') storeId(null);
  $('#step-final-title').textContent = title;
  showView('final', { ...options, title });
}

/** 404 / 410 sur une étape : l'inscription n'existe plus. */
async function handleLifecycleFailure(res) {
  if (res.status === 404) {
    state.signup = null;
    showFinal('NotFound');
    return true;
  }
  if (res.status === 410) {
    state.signup = { ...(state.signup || {}), status: 'Expired' };
    showFinal('Expired');
    return true;
  }
  return false;
}

/** Après un 409 : relit l'inscription et affiche l'étape qui correspond à son état. */
async function resync() {
  const res = await api.get(`/api/signups/${encodeURIComponent(state.signupId)}`);
  if (!res.ok) return false;
  state.signup = { ...state.signup, ...res.data };
  const view = viewForStatus(state.signup.status);
  if (view === state.view) return false;
  enterView(view);
  return true;
}

function viewForStatus(status) {
  if (status === 'AwaitingDetails') return 2;
  if (status === 'AwaitingWorkspaces') return 3;
  if (status === 'AwaitingActivation') return 'done';
  return 'final';
}

function restart() {
  state.pollToken += 1;
  storeId(null);
  state.signupId = null;
  state.signup = null;
  state.captcha = null;
  state.submitted = { identify: null, details: null };
  for (const form of [formIdentify, formDetails, formWorkspaces]) {
    form.reset();
    clearErrors(form, summary);
  }
  $('#contactEmail').dataset.autofilled = 'true';
  if (state.catalog) applyWorkspaceSelection(null);
  updateIdentifierUi();
  enterIdentify();
}

// ---------------------------------------------------------------- démarrage

async function resume(id) {
  const res = await api.get(`/api/signups/${encodeURIComponent(id)}`);
  if (!res.ok) {
    if (res.status === 404 || res.status === 410) {
      storeId(null);
      enterIdentify({ focus: false });
      return;
    }
    enterIdentify({ focus: false });
    showErrors(formIdentify, summary, [], {
      general: [`Votre inscription en cours n’a pas pu être reprise. ${res.problem.detail}`],
    });
    return;
  }
  state.signupId = id;
  state.signup = res.data;
  fillIdentifyFromSignup(state.signup);
  state.submitted.identify = JSON.stringify(readIdentify());
  fillDetailsFromSignup(state.signup);
  if (state.signup.status === 'AwaitingWorkspaces') state.submitted.details = JSON.stringify(buildDetails());
  const view = viewForStatus(state.signup.status);
  if (view === 'final') showFinal(state.signup.status, { focus: false });
  else enterView(view, { focus: false });
}

function init() {
  buildIdentifierChoices();
  updateIdentifierUi();
  fillCountrySelect($('#s-country'), { value: 'FR' });
  wireHints(document);
  $('#contactEmail').dataset.autofilled = 'true';
  $('#contactEmail').addEventListener('input', () => { $('#contactEmail').dataset.autofilled = 'false'; });

  formIdentify.addEventListener('submit', onIdentifySubmit);
  formDetails.addEventListener('submit', onDetailsSubmit);
  formWorkspaces.addEventListener('submit', onWorkspacesSubmit);
  $('#details-back').addEventListener('click', () => { clearErrors(formDetails, summary); enterIdentify(); });
  $('#workspaces-back').addEventListener('click', () => { clearErrors(formWorkspaces, summary); enterDetails(); });
  $('#captcha-refresh').addEventListener('click', refreshCaptcha);
  $('#captcha-switch').addEventListener('click', switchCaptchaKind);
  $('#resend-link').addEventListener('click', onResend);
  $('#workspaces-body').addEventListener('change', updateWorkspaceRows);
  $('#restart').addEventListener('click', restart);
  $('#final-restart').addEventListener('click', restart);

  const id = storedId();
  if (id) resume(id);
  else enterIdentify({ focus: false });
}

init();

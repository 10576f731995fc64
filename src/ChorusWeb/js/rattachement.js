// Demande de rattachement : page ouverte par le gestionnaire principal depuis le courriel
// (/rattachement?token=…&decision=approval|refusal). Le lien seul ne décide rien : la page affiche
// la demande, et seule une action de la personne (bouton) envoie la décision.
// Avec ?renewal=…, le lien du courriel de refus ou de classement sans suite : le demandeur renouvelle
// sa demande, là encore par un bouton.
// Avec ?contact=…, le lien qui vérifie l'adresse de contact du gestionnaire principal : la page affiche
// l'adresse (GET, qui ne vérifie rien) et seul le bouton la confirme (POST).
import { api } from './api.js';
import { el, $, focusElement, formatDateTime } from './dom.js';
import { showErrors, clearErrors } from './forms.js';

const TOKEN_KEY = 'chorus.joinRequestToken';
const DECISION_KEY = 'chorus.joinRequestDecision';
const RENEWAL_KEY = 'chorus.joinRenewalToken';
const CONTACT_KEY = 'chorus.contactVerificationToken';
const SITE = 'ChorusFunctions';
const TIME_ZONE = 'Europe/Paris';

const IDENTIFIER_LABELS = {
  SIRET: 'Numéro de SIRET',
  UE_HORS_FRANCE: 'Numéro de TVA intracommunautaire',
  HORS_UE: "Numéro d'identification (structure hors UE)",
  RIDET: 'Numéro RIDET',
  TAHITI: 'Numéro TAHITI',
  PARTICULIER: 'Identifiant (particulier)',
  EN_COURS_IMMATRICULATION: 'Identifiant provisoire (en cours d’immatriculation)',
};

const summary = $('#error-summary');
const views = {
  loading: $('#view-loading'),
  invalid: $('#view-invalid'),
  unavailable: $('#view-unavailable'),
  request: $('#view-request'),
  result: $('#view-result'),
  renewal: $('#view-renewal'),
  renewed: $('#view-renewed'),
  contact: $('#view-contact'),
  contactDone: $('#view-contact-done'),
};

const state = {
  token: null,
  decision: null,
  request: null,
  renewal: null,
  contact: null,
  busy: false,
};

// ---------------------------------------------------------------- jeton

/** Le jeton d'un lien de renouvellement, retiré de la barre d'adresse comme celui d'une décision. */
function takeRenewalToken() {
  const params = new URLSearchParams(window.location.search);
  let token = params.get('renewal');
  try {
    if (token) sessionStorage.setItem(RENEWAL_KEY, token);
    else if (!params.has('token')) token = sessionStorage.getItem(RENEWAL_KEY);
  } catch {
    /* stockage indisponible */
  }
  if (params.has('renewal')) {
    params.delete('renewal');
    const query = params.toString();
    history.replaceState(null, '', window.location.pathname + (query ? `?${query}` : '') + window.location.hash);
  }
  return token && token.trim() ? token.trim() : null;
}

function forgetRenewalToken() {
  try {
    sessionStorage.removeItem(RENEWAL_KEY);
  } catch {
    /* rien */
  }
}

/** Lit le jeton (et le choix fait dans le courriel) puis les retire de la barre d'adresse et de l'historique. */
function takeToken() {
  const params = new URLSearchParams(window.location.search);
  let token = params.get('token');
  let decision = params.get('decision');
  try {
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
      if (decision) sessionStorage.setItem(DECISION_KEY, decision);
      else sessionStorage.removeItem(DECISION_KEY);
    } else {
      token = sessionStorage.getItem(TOKEN_KEY);
      decision = sessionStorage.getItem(DECISION_KEY);
    }
  } catch {
    /* stockage indisponible */
  }
  if (params.has('token') || params.has('decision')) {
    params.delete('token');
    params.delete('decision');
    const query = params.toString();
    history.replaceState(null, '', window.location.pathname + (query ? `?${query}` : '') + window.location.hash);
  }
  state.decision = decision === 'approval' || decision === 'refusal' ? decision : null;
  return token && token.trim() ? token.trim() : null;
}

function forgetToken() {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(DECISION_KEY);
  } catch {
    /* rien */
  }
}

const tokenPath = () => `/api/join-requests/${encodeURIComponent(state.token)}`;

// ---------------------------------------------------------------- mise en forme

function fullName(requester) {
  const name = `${(requester && requester.firstName) || ''} ${(requester && requester.lastName) || ''}`.trim();
  return name || (requester && requester.loginEmail) || 'le demandeur';
}

function companyName(structure) {
  return (structure && (structure.companyName || structure.identifier)) || 'votre structure';
}

/** SIRET groupé 3 3 3 5 pour la lecture ; les autres identifiants tels quels. */
function formatIdentifier(structure) {
  const identifier = (structure && structure.identifier) || '';
  if (structure && structure.identifierType === 'SIRET' && /^\d{14}$/.test(identifier)) {
    return identifier.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4');
  }
  return identifier;
}

function formatDate(iso) {
  const text = formatDateTime(iso, { timeZone: TIME_ZONE });
  return text ? `${text} (heure de Paris)` : '';
}

/** « dans 13 jours », « dans 5 heures »… ; vide si la date est passée ou illisible. */
function remaining(iso) {
  const ms = new Date(iso).getTime() - Date.now();
  if (Number.isNaN(ms) || ms <= 0) return '';
  const format = new Intl.RelativeTimeFormat('fr', { numeric: 'always' });
  const hours = ms / 3_600_000;
  if (hours >= 48) return format.format(Math.floor(hours / 24), 'day');
  if (hours >= 1) return format.format(Math.floor(hours), 'hour');
  return format.format(Math.max(1, Math.floor(ms / 60_000)), 'minute');
}

// ---------------------------------------------------------------- vues

function showView(name, { focus = true, title } = {}) {
  for (const [key, section] of Object.entries(views)) section.hidden = key !== name;
  const heading = $('h2', views[name]);
  document.title = `${title || heading.textContent} – ${SITE}`;
  if (focus) focusElement(heading);
}

function clearSummary() {
  clearErrors(views.request, summary);
}

/** Lien absent, inconnu, déjà utilisé ou expiré (410 join_request_link_invalid). */
function showInvalid(problem, { focus = true } = {}) {
  clearSummary();
  forgetToken();
  const title = $('#invalid-title');
  const reason = $('#invalid-reason');
  const detail = $('#invalid-detail');
  const next = $('#invalid-next');
  const status = problem && typeof problem.requestStatus === 'string' ? problem.requestStatus : null;
  next.textContent = "Aucune action n'est nécessaire de votre part. Si une nouvelle demande est déposée, vous recevrez un nouveau courriel.";
  if (!problem) {
    title.textContent = 'Lien de rattachement incomplet';
    reason.textContent = "L'adresse ouverte ne contient pas de lien de rattachement.";
    detail.textContent = 'Ouvrez le lien « Accepter » ou « Refuser » figurant dans le courriel de demande de rattachement que vous avez reçu, ou copiez-le entièrement dans la barre d’adresse.';
    next.textContent = '';
  } else if (status === 'Approved') {
    title.textContent = "Ce lien de rattachement n'est plus valide";
    reason.textContent = 'Cette demande de rattachement a déjà été acceptée.';
    detail.textContent = 'Le demandeur a accès aux espaces de la structure. Une décision ne peut être prise qu’une seule fois.';
  } else if (status === 'Refused') {
    title.textContent = "Ce lien de rattachement n'est plus valide";
    reason.textContent = 'Cette demande de rattachement a déjà été refusée.';
    detail.textContent = 'Le demandeur n’a pas accès aux espaces de la structure. Une décision ne peut être prise qu’une seule fois.';
  } else if (status === 'Lapsed') {
    title.textContent = "Ce lien de rattachement n'est plus valide";
    reason.textContent = 'Le délai de décision est dépassé : la demande de rattachement est classée sans suite.';
    detail.textContent = 'Le demandeur en a été informé par courriel ; il peut déposer une nouvelle demande.';
  } else {
    title.textContent = "Ce lien de rattachement n'est plus valide";
    reason.textContent = 'Le lien est inconnu, a déjà été utilisé ou n’est plus valable.';
    detail.textContent = 'Une décision a peut-être déjà été prise depuis ce lien. Si vous l’avez copié, vérifiez qu’il est complet.';
  }
  next.hidden = !next.textContent;
  showView('invalid', { focus });
}

/** Erreur autre qu'un lien invalide au chargement : message dans la zone d'alerte et bouton « Réessayer ». */
function showUnavailable(problem, { focus = true } = {}) {
  showErrors(views.request, summary, [], { general: [problem.detail], title: 'Le service n’a pas pu répondre' });
  showView('unavailable', { focus });
}

function fillRequest(request) {
  const requester = request.requester || {};
  const structure = request.structure || {};
  const name = fullName(requester);
  const company = companyName(structure);

  $('#request-lead').replaceChildren(
    el('strong', { text: name }),
    ' demande à être rattaché(e) à la structure ',
    el('strong', { text: company }),
    ', dont vous êtes le gestionnaire principal.',
  );
  $('#req-lastName').textContent = requester.lastName || '—';
  $('#req-firstName').textContent = requester.firstName || '—';
  $('#req-loginEmail').textContent = requester.loginEmail || '—';
  $('#req-contactEmail').textContent = requester.contactEmail || requester.loginEmail || '—';
  $('#str-companyName').textContent = structure.companyName || '—';
  $('#str-identifier-term').textContent = IDENTIFIER_LABELS[structure.identifierType] || 'Identifiant';
  $('#str-identifier').textContent = formatIdentifier(structure) || '—';
  $('#req-requestedAt').textContent = formatDate(request.requestedAt) || '—';
  const left = remaining(request.expiresAt);
  $('#req-expiresAt').textContent = (formatDate(request.expiresAt) || '—') + (left ? ` – ${left}` : '');

  $('#effect-approve').textContent = `${name} aura accès aux espaces de travail de la structure ${company}, avec le rôle Utilisateur.`;
  $('#effect-refuse').textContent = `${name} ne sera pas rattaché(e) à la structure ; son compte reste actif, sans accès aux espaces de cette structure.`;
  $('#refuse-dialog-desc').textContent =
    `${name} ne sera pas rattaché(e) à la structure ${company} et en sera informé(e) par courriel. Cette décision est définitive.`;

  const hint = $('#decision-hint');
  hint.hidden = !state.decision;
  if (state.decision === 'approval') {
    $('#decision-hint-text').textContent = 'Vous avez choisi « Accepter » dans le courriel. Vérifiez la demande ci-dessous puis confirmez avec le bouton « Accepter la demande ».';
  } else if (state.decision === 'refusal') {
    $('#decision-hint-text').textContent = 'Vous avez choisi « Refuser » dans le courriel. Vérifiez la demande ci-dessous puis confirmez avec le bouton « Refuser la demande ».';
  }
}

function showResult(request) {
  const requester = request.requester || {};
  const name = fullName(requester);
  const company = companyName(request.structure);
  const approved = request.status === 'Approved';
  $('#result-title').textContent = approved ? 'Demande de rattachement acceptée' : 'Demande de rattachement refusée';
  const alert = $('#result-alert');
  alert.classList.toggle('alert-success', approved);
  alert.classList.toggle('alert-info', !approved);
  $('#result-message').textContent =
    `La demande de rattachement de ${name} à la structure ${company} a été ${approved ? 'acceptée' : 'refusée'}.`;
  const email = requester.contactEmail || requester.loginEmail;
  $('#result-informed').textContent = `${name} en est informé(e) par courriel${email ? ` (${email})` : ''}.`;
  $('#result-detail').textContent = approved
    ? `${name} a désormais accès aux espaces de travail de la structure avec le rôle Utilisateur.`
    : `${name} n’a pas accès aux espaces de la structure ; son compte reste actif.`;
  const decided = formatDate(request.decidedAt);
  $('#result-decidedAt').textContent = decided ? `Décision enregistrée le ${decided}.` : '';
  $('#result-decidedAt').hidden = !decided;
  showView('result');
}

// ---------------------------------------------------------------- décision

function setDeciding(busy, button, busyText) {
  state.busy = busy;
  views.request.setAttribute('aria-busy', busy ? 'true' : 'false');
  for (const b of [$('#approve'), $('#refuse'), $('#refuse-yes')]) b.disabled = busy;
  if (button && busy) {
    button.dataset.idleText = button.textContent;
    button.textContent = busyText;
  } else if (button && button.dataset.idleText) {
    button.textContent = button.dataset.idleText;
  }
  $('#decision-status').textContent = busy ? busyText : '';
}

async function decide(kind) {
  if (state.busy) return;
  const approving = kind === 'approval';
  const button = approving ? $('#approve') : $('#refuse-yes');
  clearSummary();
  setDeciding(true, button, approving ? 'Acceptation en cours…' : 'Refus en cours…');
  const res = await api.post(`${tokenPath()}/${kind}`);
  setDeciding(false, button);
  const dialog = $('#refuse-dialog');
  if (dialog.open) dialog.close('done');

  if (res.ok && res.data && (res.data.status === 'Approved' || res.data.status === 'Refused')) {
    forgetToken();
    state.request = { ...state.request, ...res.data };
    showResult(state.request);
    return;
  }
  if (res.status === 410 || res.status === 404) {
    showInvalid(res.problem);
    return;
  }
  const problem = res.ok
    ? { detail: 'La réponse du service est inattendue. Rechargez la page pour vérifier si votre décision a été enregistrée.' }
    : res.problem;
  showErrors(views.request, summary, [], {
    general: [problem.detail, 'Votre décision n’a pas été enregistrée : vous pouvez réessayer.'],
    title: approving ? 'La demande n’a pas pu être acceptée' : 'La demande n’a pas pu être refusée',
  });
}

function openRefuseDialog() {
  if (state.busy) return;
  const dialog = $('#refuse-dialog');
  if (typeof dialog.showModal === 'function') {
    dialog.returnValue = '';
    dialog.showModal();
    $('#refuse-no').focus();
  } else if (window.confirm($('#refuse-dialog-desc').textContent)) {
    decide('refusal');
  }
}

// ---------------------------------------------------------------- renouvellement

async function renew() {
  if (state.busy) return;
  const button = $('#renew');
  clearErrors(views.renewal, summary);
  state.busy = true;
  button.disabled = true;
  views.renewal.setAttribute('aria-busy', 'true');
  $('#renewal-status').textContent = 'Envoi de la nouvelle demande…';
  const res = await api.post(`/api/join-requests/${encodeURIComponent(state.renewal)}/renewal`);
  state.busy = false;
  button.disabled = false;
  views.renewal.setAttribute('aria-busy', 'false');
  $('#renewal-status').textContent = '';

  if (res.ok && res.data && typeof res.data.attempt === 'number') {
    forgetRenewalToken();
    $('#renewed-message').textContent =
      `Votre demande n° ${res.data.attempt} (sur ${res.data.maxAttempts} possibles) a été transmise au gestionnaire principal de la structure.`;
    showView('renewed');
    return;
  }
  if (res.status === 410 || res.status === 404) {
    forgetRenewalToken();
    showInvalid(res.problem);
    $('#invalid-title').textContent = "Ce lien de renouvellement n'est plus valide";
    $('#invalid-reason').textContent = (res.problem && res.problem.detail) || 'Le lien est inconnu ou n’est plus valable.';
    $('#invalid-detail').textContent = 'Une nouvelle demande a peut-être déjà été déposée depuis ce lien : sa décision vous sera envoyée par courriel.';
    $('#invalid-next').hidden = true;
    document.title = `${$('#invalid-title').textContent} – ${SITE}`;
    return;
  }
  const problem = res.ok ? { detail: 'La réponse du service est inattendue.' } : res.problem;
  showErrors(views.renewal, summary, [], {
    general: [problem.detail],
    title: 'La demande n’a pas pu être renouvelée',
  });
}

// ---------------------------------------------------------------- adresse de contact

/** Le jeton du lien de vérification, retiré de la barre d'adresse comme les autres. */
function takeContactToken() {
  const params = new URLSearchParams(window.location.search);
  let token = params.get('contact');
  try {
    if (token) sessionStorage.setItem(CONTACT_KEY, token);
    else if (!params.has('token') && !params.has('renewal')) token = sessionStorage.getItem(CONTACT_KEY);
  } catch {
    /* stockage indisponible */
  }
  if (params.has('contact')) {
    params.delete('contact');
    const query = params.toString();
    history.replaceState(null, '', window.location.pathname + (query ? `?${query}` : '') + window.location.hash);
  }
  return token && token.trim() ? token.trim() : null;
}

const contactPath = () => `/api/contact-verifications/${encodeURIComponent(state.contact)}`;

function showContactInvalid(problem, { focus = true } = {}) {
  try {
    sessionStorage.removeItem(CONTACT_KEY);
  } catch {
    /* rien */
  }
  showInvalid(problem || { detail: '' }, { focus });
  $('#invalid-title').textContent = "Ce lien de vérification n'est plus valide";
  $('#invalid-reason').textContent = (problem && problem.detail) || 'Le lien est inconnu ou n’est plus valable.';
  $('#invalid-detail').textContent = 'Un nouveau lien vous sera envoyé avec la prochaine demande de rattachement, dans la limite prévue. Jusque-là, les demandes sont envoyées à votre adresse de connexion.';
  $('#invalid-next').hidden = true;
  document.title = `${$('#invalid-title').textContent} – ${SITE}`;
}

function showContactDone(view, { focus = true } = {}) {
  $('#contact-done-message').textContent = `L’adresse ${view.contactEmail} est vérifiée.`;
  showView('contactDone', { focus });
}

async function loadContact() {
  showView('loading', { focus: false, title: 'Vérifier votre adresse de contact' });
  const res = await api.get(contactPath());
  if (res.ok && res.data && typeof res.data.contactEmail === 'string') {
    if (res.data.verified) {
      showContactDone(res.data, { focus: false });
      return;
    }
    $('#contact-email').textContent = res.data.contactEmail;
    showView('contact', { focus: false });
    return;
  }
  if (res.status === 410 || res.status === 404) {
    showContactInvalid(res.problem, { focus: false });
    return;
  }
  showUnavailable(res.problem || { detail: 'La réponse du service est inattendue.' }, { focus: false });
}

async function confirmContact() {
  if (state.busy) return;
  const button = $('#contact-confirm');
  clearErrors(views.contact, summary);
  state.busy = true;
  button.disabled = true;
  $('#contact-status').textContent = 'Vérification en cours…';
  const res = await api.post(contactPath());
  state.busy = false;
  button.disabled = false;
  $('#contact-status').textContent = '';
  if (res.ok && res.data && res.data.verified) {
    showContactDone(res.data);
    return;
  }
  if (res.status === 410 || res.status === 404) {
    showContactInvalid(res.problem);
    return;
  }
  const problem = res.ok ? { detail: 'La réponse du service est inattendue.' } : res.problem;
  showErrors(views.contact, summary, [], { general: [problem.detail], title: 'L’adresse n’a pas pu être vérifiée' });
}

// ---------------------------------------------------------------- démarrage

async function load({ focus = false } = {}) {
  clearSummary();
  showView('loading', { focus, title: 'Demande de rattachement' });
  const res = await api.get(tokenPath());
  if (res.ok && res.data && res.data.status === 'Pending') {
    state.request = res.data;
    fillRequest(state.request);
    showView('request', { focus, title: 'Demande de rattachement' });
    return;
  }
  if (res.ok && res.data && res.data.status) {
    showInvalid({ requestStatus: res.data.status, detail: '' }, { focus });
    return;
  }
  if (res.status === 410 || res.status === 404) {
    showInvalid(res.problem, { focus });
    return;
  }
  showUnavailable(res.problem || { detail: 'La réponse du service est inattendue.' }, { focus });
}

function init() {
  $('#approve').addEventListener('click', () => decide('approval'));
  $('#refuse').addEventListener('click', openRefuseDialog);
  $('#refuse-no').addEventListener('click', () => $('#refuse-dialog').close('cancel'));
  $('#refuse-yes').addEventListener('click', () => decide('refusal'));
  $('#refuse-dialog').addEventListener('close', () => {
    if ($('#refuse-dialog').returnValue !== 'done' && !views.request.hidden) $('#refuse').focus();
  });
  $('#retry').addEventListener('click', () => (state.contact ? loadContact() : load({ focus: true })));
  $('#renew').addEventListener('click', renew);
  $('#contact-confirm').addEventListener('click', confirmContact);

  state.contact = takeContactToken();
  if (state.contact) {
    loadContact();
    return;
  }

  state.renewal = takeRenewalToken();
  if (state.renewal) {
    showView('renewal', { focus: false, title: 'Renouveler votre demande de rattachement' });
    return;
  }

  state.token = takeToken();
  if (!state.token) {
    showInvalid(null, { focus: false });
    return;
  }
  load();
}

init();

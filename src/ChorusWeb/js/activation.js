// Étape 4 : activation du compte depuis le lien reçu par courriel (/activation?token=…).
import { api } from './api.js';
import { el, $, $$, focusElement, setChildren } from './dom.js';
import { showErrors, showProblem, clearErrors, setBusy, wireHints } from './forms.js';
import { analyse, SCORE_LABELS, MAX_LENGTH, unmetRuleMessage, isLocallyExplained } from './password.js';

const TOKEN_KEY = 'chorus.activationToken';
const SITE = 'ChorusFunctions';

const summary = $('#error-summary');
const form = $('#form-activate');
const views = {
  loading: $('#view-loading'),
  invalid: $('#view-invalid'),
  form: $('#view-form'),
  active: $('#view-active'),
  deactivated: $('#view-deactivated'),
  cancelled: $('#view-cancelled'),
};

const state = {
  token: null,
  account: null,
  canRequestNewLink: false,
  strengthEndpoint: true,
  server: null,
  debounce: 0,
  strengthRequest: 0,
};

// ---------------------------------------------------------------- jeton

/** Lit le jeton puis le retire de la barre d'adresse (et de l'historique). */
function takeToken() {
  const params = new URLSearchParams(window.location.search);
  let token = params.get('token');
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else token = sessionStorage.getItem(TOKEN_KEY);
  } catch {
    /* stockage indisponible */
  }
  if (params.has('token')) {
    params.delete('token');
    const query = params.toString();
    history.replaceState(null, '', window.location.pathname + (query ? `?${query}` : '') + window.location.hash);
  }
  return token && token.trim() ? token.trim() : null;
}

function forgetToken() {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* rien */
  }
}

const tokenPath = () => `/api/activations/${encodeURIComponent(state.token)}`;

// ---------------------------------------------------------------- vues

function showView(name, { focus = true, title } = {}) {
  for (const [key, section] of Object.entries(views)) section.hidden = key !== name;
  const heading = $('h2', views[name]);
  document.title = `${title || heading.textContent} – ${SITE}`;
  if (focus) focusElement(heading);
}

function showInvalid(problem, { focus = true } = {}) {
  const status = problem ? problem.status : 0;
  const canRequest = Boolean(problem && problem.canRequestNewLink === true && state.token);
  state.canRequestNewLink = canRequest;
  const title = $('#invalid-title');
  const reason = $('#invalid-reason');
  const detail = $('#invalid-detail');
  if (!problem) {
    title.textContent = "Lien d'activation incomplet";
    reason.textContent = "L'adresse ouverte ne contient pas de lien d'activation.";
    detail.textContent = 'Ouvrez le lien figurant dans le courriel d’activation que vous avez reçu, ou copiez-le entièrement dans la barre d’adresse.';
  } else if (status === 410 || status === 404) {
    title.textContent = "Ce lien d'activation n'est plus valide";
    reason.textContent = 'Le lien a expiré, a déjà été utilisé ou a été remplacé par un lien plus récent.';
    detail.textContent = problem.detail || '';
  } else {
    title.textContent = "Le lien d'activation n'a pas pu être vérifié";
    reason.textContent = 'Une difficulté empêche de vérifier votre lien pour le moment.';
    detail.textContent = problem.detail || '';
  }
  $('#new-link-panel').hidden = !canRequest;
  $('#new-link').disabled = false;
  $('#new-link-status').replaceChildren();
  $('#restart-hint').hidden = canRequest || !(status === 410 || status === 404);
  showView('invalid', { focus });
}

function fillSummary(account) {
  $('#sum-loginEmail').textContent = account.loginEmail || '';
  $('#sum-contactEmail').textContent = account.contactEmail || account.loginEmail || '';
  $('#sum-lastName').textContent = account.lastName || '';
  $('#sum-firstName').textContent = account.firstName || '';
  const hasCompany = Boolean(account.companyName);
  $('#sum-company-term').hidden = !hasCompany;
  $('#sum-companyName').hidden = !hasCompany;
  $('#sum-companyName').textContent = account.companyName || '';
  $('#username').value = account.loginEmail || '';
}

// ---------------------------------------------------------------- complexité du mot de passe

function setRule(item, met, { metText = 'respecté', unmetText = 'non respecté', neutral = false } = {}) {
  item.classList.toggle('is-met', !neutral && met);
  item.classList.toggle('is-unmet', !neutral && !met);
  $('.rule-state', item).textContent = ` : ${met ? metText : unmetText}`;
}

function renderStrength() {
  const password = $('#password').value;
  const local = analyse(password);
  const empty = password.length === 0;
  const rule = (name) => $(`#rule-list [data-rule="${name}"]`);
  setRule(rule('minLength'), local.rules.minLength, { neutral: empty });
  setRule(rule('classes'), local.rules.classes, { neutral: empty });
  $('#class-count').textContent = String(local.classCount);
  for (const name of ['upper', 'lower', 'digit', 'special']) {
    setRule(rule(name), local.classes[name], { metText: 'présent', unmetText: 'absent', neutral: empty });
  }
  const max = rule('maxLength');
  max.hidden = local.rules.maxLength;
  setRule(max, local.rules.maxLength);

  const server = state.server && state.server.password === password ? state.server : null;
  const remarks = $('#server-remarks');
  remarks.replaceChildren();
  if (server) {
    const messages = [...new Set(server.unmetRules.filter((c) => !isLocallyExplained(c)).map(unmetRuleMessage))];
    for (const message of messages) remarks.append(el('li', { className: 'is-unmet' }, message, el('span', { className: 'sr-only', text: ' : non respecté' })));
    remarks.hidden = messages.length === 0;
  } else remarks.hidden = true;

  const strength = $('#strength');
  let score = empty ? null : local.score;
  if (server && Number.isInteger(server.score)) {
    score = Math.max(0, Math.min(4, server.score));
    // Un mot de passe qui ne respecte pas la règle n'est jamais présenté comme satisfaisant.
    if (!local.valid || server.unmetRules.length) score = Math.min(score, 1);
  }
  strength.dataset.score = score === null ? '' : String(score);
  $('#strength-value').textContent = score === null ? 'non renseigné' : SCORE_LABELS[score];
}

function scheduleServerStrength() {
  window.clearTimeout(state.debounce);
  if (!state.strengthEndpoint) return;
  const password = $('#password').value;
  if (!password || password.length > MAX_LENGTH * 2) return;
  state.debounce = window.setTimeout(() => checkServerStrength(password), 350);
}

async function checkServerStrength(password) {
  const requestId = ++state.strengthRequest;
  const account = state.account || {};
  const body = { password };
  if (account.loginEmail) body.loginEmail = account.loginEmail;
  if (account.lastName) body.lastName = account.lastName;
  if (account.firstName) body.firstName = account.firstName;
  const res = await api.post('/api/password-strength', body);
  if (requestId !== state.strengthRequest) return;
  if (res.status === 404 || res.status === 405 || res.status === 501 || (res.ok && !res.data)) {
    // Service pas encore disponible : l'indicateur reste calculé localement.
    state.strengthEndpoint = false;
    return;
  }
  if (!res.ok || !res.data || typeof res.data.score !== 'number') return;
  state.server = {
    password,
    score: Math.round(res.data.score),
    unmetRules: Array.isArray(res.data.unmetRules) ? res.data.unmetRules.map(String) : [],
  };
  if ($('#password').value === password) renderStrength();
}

// ---------------------------------------------------------------- validation et envoi

function validate() {
  const errors = [];
  const password = $('#password').value;
  const confirmation = $('#passwordConfirmation').value;
  const local = analyse(password);
  if (!password) errors.push({ path: 'password', message: 'Saisissez un mot de passe.' });
  else if (!local.rules.maxLength) errors.push({ path: 'password', message: 'Le mot de passe doit comporter au plus 128 caractères.' });
  else if (!local.valid) {
    errors.push({
      path: 'password',
      message: 'Le mot de passe est trop faible : il doit comporter au moins 8 caractères et au moins 3 types de caractères parmi les majuscules, les minuscules, les chiffres et les caractères spéciaux.',
    });
  }
  if (!confirmation) errors.push({ path: 'passwordConfirmation', message: 'Confirmez votre mot de passe.' });
  else if (password && confirmation !== password) errors.push({ path: 'passwordConfirmation', message: 'La confirmation ne correspond pas au mot de passe saisi.' });
  if (!$('#secretQuestion').value) errors.push({ path: 'secretQuestion', message: 'Choisissez une question secrète.' });
  const answer = $('#secretAnswer').value.trim();
  if (!answer) errors.push({ path: 'secretAnswer', message: 'Saisissez la réponse à votre question secrète.' });
  else if (Array.from(answer.normalize('NFD').replace(/\p{Mn}/gu, '')).length < 2) errors.push({ path: 'secretAnswer', message: 'La réponse doit comporter au moins 2 caractères.' });
  else if (answer.length > 100) errors.push({ path: 'secretAnswer', message: 'La réponse doit comporter au plus 100 caractères.' });
  return errors;
}

async function onSubmit(event) {
  event.preventDefault();
  const errors = validate();
  if (errors.length) {
    showErrors(form, summary, errors);
    return;
  }
  clearErrors(form, summary);
  const button = $('#activate-submit');
  setBusy(form, true, button, 'Activation…');
  const res = await api.post(tokenPath(), {
    password: $('#password').value,
    passwordConfirmation: $('#passwordConfirmation').value,
    secretQuestion: $('#secretQuestion').value,
    secretAnswer: $('#secretAnswer').value,
  });
  setBusy(form, false, button);
  if (res.ok) {
    forgetToken();
    clearSecrets();
    const login = (state.account && state.account.loginEmail) || '';
    $('#active-detail').textContent = login ? `Votre identifiant de connexion est ${login}.` : '';
    showView('active');
    return;
  }
  if (res.status === 410 || res.status === 404) {
    clearSecrets();
    showInvalid(res.problem);
    return;
  }
  showProblem(form, summary, res.problem);
}

function clearSecrets() {
  for (const id of ['password', 'passwordConfirmation', 'secretAnswer']) $(`#${id}`).value = '';
  state.server = null;
  renderStrength();
}

// ---------------------------------------------------------------- désactivation, annulation, nouveau lien

function openDeactivateDialog() {
  const dialog = $('#deactivate-dialog');
  if (typeof dialog.showModal === 'function') {
    dialog.returnValue = '';
    dialog.showModal();
    $('#deactivate-no').focus();
  } else if (window.confirm($('#deactivate-dialog-desc').textContent)) {
    deactivate();
  }
}

async function deactivate() {
  const dialog = $('#deactivate-dialog');
  const yes = $('#deactivate-yes');
  yes.disabled = true;
  const res = await api.post(`${tokenPath()}/deactivation`);
  yes.disabled = false;
  if (dialog.open) dialog.close('done');
  if (res.ok) {
    forgetToken();
    clearSecrets();
    showView('deactivated');
    return;
  }
  if (res.status === 410 || res.status === 404) {
    showInvalid(res.problem);
    return;
  }
  showErrors(form, summary, [], { general: [res.problem.detail] });
}

async function requestNewLink() {
  const button = $('#new-link');
  const status = $('#new-link-status');
  status.replaceChildren();
  button.disabled = true;
  // Demandé avec le lien lui-même : la réponse ne nomme ni l'inscription ni l'adresse.
  if (!state.canRequestNewLink) return;
  const res = await api.post(`${tokenPath()}/renewal`);
  if (res.ok) {
    forgetToken();
    status.append(el('p', { className: 'alert alert-success' },
      'Un nouveau courriel d’activation vous a été envoyé. Consultez votre messagerie et utilisez le lien de ce dernier courriel.'));
    return;
  }
  if (res.status === 404 || res.status === 410) {
    status.append(el('p', { className: 'alert alert-error' },
      res.problem.detail, ' ', el('a', { href: './', text: 'Recommencer mon inscription' })));
    return;
  }
  button.disabled = false;
  status.append(el('p', { className: 'alert alert-error' }, res.problem.detail));
}

function setupToggles() {
  for (const button of $$('[data-toggle]')) {
    const input = $(`#${button.dataset.toggle}`);
    const label = button.dataset.toggle === 'secretAnswer' ? 'la réponse' : button.dataset.toggle === 'password' ? 'le mot de passe' : 'la confirmation';
    setChildren(button, 'Afficher', el('span', { className: 'sr-only', text: ` ${label}` }));
    button.addEventListener('click', () => {
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.setAttribute('aria-pressed', String(show));
    });
  }
}

// ---------------------------------------------------------------- démarrage

async function init() {
  wireHints(document);
  setupToggles();
  renderStrength();
  $('#password').addEventListener('input', () => { renderStrength(); scheduleServerStrength(); });
  form.addEventListener('submit', onSubmit);
  $('#deactivate').addEventListener('click', openDeactivateDialog);
  $('#deactivate-no').addEventListener('click', () => $('#deactivate-dialog').close('cancel'));
  $('#deactivate-yes').addEventListener('click', deactivate);
  $('#deactivate-dialog').addEventListener('close', () => {
    if ($('#deactivate-dialog').returnValue !== 'done') $('#deactivate').focus();
  });
  $('#cancel').addEventListener('click', () => {
    clearErrors(form, summary);
    form.reset();
    clearSecrets();
    fillSummary(state.account || {});
    showView('cancelled');
  });
  $('#resume-activation').addEventListener('click', () => {
    showView('form', { title: 'Activation du compte utilisateur' });
    $('#password').focus();
  });
  $('#new-link').addEventListener('click', requestNewLink);

  state.token = takeToken();
  if (!state.token) {
    showInvalid(null, { focus: false });
    return;
  }
  const res = await api.get(tokenPath());
  if (!res.ok) {
    showInvalid(res.problem, { focus: false });
    return;
  }
  state.account = res.data || {};
  fillSummary(state.account);
  showView('form', { focus: false, title: 'Activation du compte utilisateur' });
}

init();

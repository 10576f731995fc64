// Affichage accessible des erreurs de formulaire :
// - message sous le champ, relié par aria-describedby, champ en aria-invalid ;
// - récapitulatif (role="alert") avec un lien par erreur ;
// - focus déplacé sur le premier champ invalide.
import { el, $, $$, addToken, removeToken, focusElement, setChildren } from './dom.js';
import { normaliseFieldPath } from './api.js';

const CONTROL_SELECTOR = 'input:not([type="hidden"]), select, textarea';

/** Conteneur `.field` / `fieldset` portant data-field="chemin" pour un chemin JSON. */
export function findField(form, path, aliases = {}) {
  let current = normaliseFieldPath(path);
  while (current) {
    const target = aliases[current] || current;
    const container = form.querySelector(`[data-field="${cssEscape(target)}"]`);
    if (container && !container.closest('[hidden]')) return container;
    const dot = current.lastIndexOf('.');
    current = dot > 0 ? current.slice(0, dot) : '';
  }
  return null;
}

function cssEscape(value) {
  return window.CSS && CSS.escape ? CSS.escape(value) : value.replace(/"/g, '\\"');
}

function controlsOf(container) {
  return $$(CONTROL_SELECTOR, container);
}

/** Libellé lisible d'un champ (sans astérisque ni deux-points). */
export function fieldLabel(container) {
  if (container.dataset.label) return container.dataset.label;
  const labelNode = container.matches('fieldset') ? $(':scope > legend', container) : $(':scope > label, :scope label', container);
  if (!labelNode) return '';
  const clone = labelNode.cloneNode(true);
  for (const node of clone.querySelectorAll('.req, .hint, .sr-only')) node.remove();
  return clone.textContent.replace(/[*:\s]+$/u, '').replace(/\s+/g, ' ').trim();
}

function errorNodeOf(container, create) {
  let node = $(':scope > .field-error', container);
  if (!node && create) {
    const first = controlsOf(container)[0];
    const base = container.dataset.field ? container.dataset.field.replace(/\W+/g, '-') : (first && first.id) || 'champ';
    node = el('p', { className: 'field-error', id: `${base}-error`, hidden: true });
    container.append(node);
  }
  return node;
}

/** Marque un champ en erreur. */
export function setFieldError(container, messages) {
  const list = Array.isArray(messages) ? messages : [messages];
  const node = errorNodeOf(container, true);
  setChildren(node, el('span', { className: 'sr-only', text: 'Erreur : ' }), list.join(' '));
  node.hidden = false;
  container.classList.add('has-error');
  for (const control of controlsOf(container)) {
    control.setAttribute('aria-invalid', 'true');
    addToken(control, 'aria-describedby', node.id);
  }
}

export function clearFieldError(container) {
  const node = errorNodeOf(container, false);
  container.classList.remove('has-error');
  for (const control of controlsOf(container)) {
    control.removeAttribute('aria-invalid');
    if (node) removeToken(control, 'aria-describedby', node.id);
  }
  if (node) {
    node.hidden = true;
    node.replaceChildren();
  }
}

export function clearErrors(form, summary) {
  for (const container of $$('.has-error', form)) clearFieldError(container);
  if (summary) {
    summary.hidden = true;
    summary.replaceChildren();
  }
}

/** Premier contrôle focalisable d'un conteneur de champ (ouvre un <details> englobant). */
export function focusField(container) {
  const details = container.closest('details');
  if (details && !details.open) details.open = true;
  const controls = controlsOf(container).filter((c) => !c.disabled);
  const target = controls.find((c) => c.type === 'radio' && c.checked) || controls[0];
  if (target) target.focus();
  else focusElement(container);
}

/**
 * Affiche une liste d'erreurs : [{ path?, container?, message }] et des messages généraux.
 * Renvoie le nombre d'erreurs de champ affichées.
 */
export function showErrors(form, summary, fieldErrors, { general = [], aliases = {}, title } = {}) {
  clearErrors(form, summary);
  const placed = [];
  const unplaced = [...general];
  const byContainer = new Map();
  for (const error of fieldErrors) {
    const container = error.container || (error.path ? findField(form, error.path, aliases) : null);
    if (!container) {
      unplaced.push(error.message);
      continue;
    }
    if (!byContainer.has(container)) byContainer.set(container, []);
    const list = byContainer.get(container);
    if (!list.includes(error.message)) list.push(error.message);
  }
  // Ordre du document, pour que le récapitulatif suive l'ordre de saisie.
  const containers = [...byContainer.keys()].sort((a, b) =>
    a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
  for (const container of containers) {
    setFieldError(container, byContainer.get(container));
    placed.push(container);
  }

  if (summary) {
    const count = placed.length;
    const heading = title || (count > 1
      ? `Le formulaire contient ${count} erreurs`
      : count === 1 ? 'Le formulaire contient une erreur' : 'Votre demande n’a pas pu aboutir');
    const children = [el('p', { className: 'error-summary-title', text: heading })];
    for (const message of unique(unplaced)) children.push(el('p', { text: message }));
    if (count) {
      const list = el('ul');
      for (const container of placed) {
        const control = controlsOf(container)[0];
        const label = fieldLabel(container);
        const messages = byContainer.get(container).join(' ');
        const link = el('a', { href: `#${control ? control.id : ''}`, text: label ? `${label} : ${messages}` : messages });
        link.addEventListener('click', (event) => {
          event.preventDefault();
          focusField(container);
        });
        list.append(el('li', {}, link));
      }
      children.push(list);
    }
    setChildren(summary, ...children);
    summary.hidden = false;
  }

  if (placed.length) focusField(placed[0]);
  else if (summary) focusElement(summary);
  return placed.length;
}

/** Affiche un problem details de l'API sur le formulaire. */
export function showProblem(form, summary, problem, { aliases = {}, fallbackPath } = {}) {
  const fieldErrors = [];
  for (const [path, messages] of Object.entries(problem.errors || {})) {
    for (const message of messages) fieldErrors.push({ path, message });
  }
  const general = [];
  if (!fieldErrors.length && fallbackPath && findField(form, fallbackPath, aliases)) {
    fieldErrors.push({ path: fallbackPath, message: problem.detail });
  } else if (!fieldErrors.length || !isGenericValidationDetail(problem)) {
    general.push(problem.detail);
  }
  return showErrors(form, summary, fieldErrors, { general, aliases });
}

function isGenericValidationDetail(problem) {
  return problem.status === 400 || problem.status === 422;
}

function unique(list) {
  return [...new Set(list.filter(Boolean))];
}

/** Empêche la double soumission et signale l'attente. */
export function setBusy(form, busy, button, busyText) {
  form.setAttribute('aria-busy', busy ? 'true' : 'false');
  if (!button) return;
  if (busy) {
    button.dataset.idleText = button.textContent;
    button.disabled = true;
    if (busyText) button.textContent = busyText;
  } else {
    button.disabled = false;
    if (button.dataset.idleText) button.textContent = button.dataset.idleText;
  }
}

/** Validation simple d'une adresse électronique (le serveur reste juge). */
export function looksLikeEmail(value) {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** Relie les indications (.hint) aux contrôles de leur conteneur. */
export function wireHints(root = document) {
  for (const hint of $$('.hint[id]', root)) {
    const container = hint.closest('[data-field], .field');
    if (!container) continue;
    for (const control of controlsOf(container)) addToken(control, 'aria-describedby', hint.id);
  }
}

// Petits utilitaires DOM. Les données venant de l'API sont toujours rendues
// comme du texte (textContent / createElement), jamais interprétées comme du HTML.

/**
 * Crée un élément. `props` accepte : className, text, attrs (objet), dataset (objet),
 * hidden, et tout autre propriété DOM simple (id, type, name, value, checked, htmlFor…).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'className') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'attrs') {
      for (const [name, v] of Object.entries(value)) {
        if (v !== undefined && v !== null && v !== false) node.setAttribute(name, v === true ? '' : String(v));
      }
    } else if (key === 'dataset') {
      for (const [name, v] of Object.entries(value)) node.dataset[name] = String(v);
    } else node[key] = value;
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Remplace le contenu d'un élément par des nœuds ou du texte. */
export function setChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** Ajoute / retire un identifiant dans un attribut de type liste (aria-describedby…). */
export function addToken(node, attr, token) {
  const tokens = (node.getAttribute(attr) || '').split(/\s+/).filter(Boolean);
  if (!tokens.includes(token)) tokens.push(token);
  node.setAttribute(attr, tokens.join(' '));
}

export function removeToken(node, attr, token) {
  const tokens = (node.getAttribute(attr) || '').split(/\s+/).filter((t) => t && t !== token);
  if (tokens.length) node.setAttribute(attr, tokens.join(' '));
  else node.removeAttribute(attr);
}

/** Déplace le focus sur un élément non interactif (titre, récapitulatif). */
export function focusElement(node) {
  if (!node) return;
  if (!node.hasAttribute('tabindex') && !isFocusable(node)) node.setAttribute('tabindex', '-1');
  node.focus({ preventScroll: false });
}

function isFocusable(node) {
  return node.matches('a[href], button, input, select, textarea, summary, [tabindex]');
}

/**
 * Formate une date ISO en français (ex. « 27 novembre 2025 à 14:05 »), dans le fuseau du navigateur
 * ou celui indiqué (ex. { timeZone: 'Europe/Paris' }).
 */
export function formatDateTime(iso, { timeZone } = {}) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(date);
}

// Client de l'API /api (même origine). Toutes les erreurs sont normalisées en
// « problem details » (RFC 9457) avec un détail en français. Le cookie d'une
// inscription (HttpOnly, posé par l'étape 1) part avec chaque appel sur celle-ci :
// le navigateur l'envoie lui-même, sur la même origine (credentials: 'same-origin').

const JSON_TYPES = ['application/json', 'application/problem+json'];

/**
 * Appelle l'API. Ne lève pas d'exception pour une erreur HTTP ou réseau :
 * renvoie { ok, status, data, problem, headers }.
 */
export async function request(method, path, body, { signal, headers: extra } = {}) {
  const headers = { Accept: 'application/json, application/problem+json', ...(extra || {}) };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error && error.name === 'AbortError') throw error;
    return {
      ok: false,
      status: 0,
      data: null,
      headers: new Headers(),
      problem: {
        title: 'Service injoignable',
        status: 0,
        detail: 'Le service est momentanément injoignable. Vérifiez votre connexion puis réessayez.',
        code: 'network_error',
        errors: {},
      },
    };
  }

  const contentType = (response.headers.get('content-type') || '').toLowerCase();
  let data = null;
  if (JSON_TYPES.some((t) => contentType.includes(t)) || contentType.includes('+json')) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  if (response.ok) return { ok: true, status: response.status, data, headers: response.headers, problem: null };
  return {
    ok: false,
    status: response.status,
    data,
    headers: response.headers,
    problem: normaliseProblem(data, response),
  };
}

export const api = {
  get: (path, opts) => request('GET', path, undefined, opts),
  post: (path, body, opts) => request('POST', path, body, opts),
  put: (path, body, opts) => request('PUT', path, body, opts),
  delete: (path, opts) => request('DELETE', path, undefined, opts),
};

/** Une clé d'idempotence neuve (une par demande ; la même pour la renvoyer). */
export function newIdempotencyKey() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Délai (en secondes) indiqué par l'en-tête Retry-After, ou null. */
export function retryAfterSeconds(headers) {
  const value = headers && headers.get('retry-after');
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

function defaultDetail(status) {
  if (status === 400 || status === 422) return 'Certaines informations saisies ne sont pas valides. Corrigez-les puis validez à nouveau.';
  if (status === 404) return "L'élément demandé est introuvable.";
  if (status === 409) return "Cette action n'est pas possible dans l'état actuel de votre inscription.";
  if (status === 410) return "Ce lien ou cette inscription n'est plus valide.";
  if (status === 413) return 'Les informations envoyées sont trop volumineuses.';
  if (status === 415) return "Le format de la requête n'est pas accepté.";
  if (status === 429) return 'Trop de tentatives ont été effectuées.';
  if (status >= 500) return 'Le service rencontre une difficulté temporaire. Réessayez dans quelques instants.';
  return "Une erreur inattendue s'est produite. Réessayez dans quelques instants.";
}

/** Clé de champ camelCase, sans préfixe « $. » ni crochets (ex. « Structure.PostalCode » → « structure.postalCode »). */
export function normaliseFieldPath(path) {
  return String(path || '')
    .replace(/^\$\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((segment) => segment.charAt(0).toLowerCase() + segment.slice(1))
    .join('.');
}

function normaliseProblem(data, response) {
  const status = response.status;
  const problem = data && typeof data === 'object' && !Array.isArray(data) ? { ...data } : {};
  problem.status = status;
  if (typeof problem.detail !== 'string' || !problem.detail.trim()) problem.detail = defaultDetail(status);
  const errors = {};
  if (problem.errors && typeof problem.errors === 'object') {
    for (const [key, messages] of Object.entries(problem.errors)) {
      const list = (Array.isArray(messages) ? messages : [messages]).filter((m) => typeof m === 'string' && m.trim());
      if (list.length) errors[normaliseFieldPath(key)] = list;
    }
  }
  problem.errors = errors;
  if (status === 429) {
    const seconds = retryAfterSeconds(response.headers);
    problem.retryAfter = seconds;
    if (seconds) problem.detail = `${problem.detail.replace(/\s*$/, '')} Réessayez dans ${formatDelay(seconds)}.`;
  }
  return problem;
}

export function formatDelay(seconds) {
  if (seconds < 60) return `${seconds} seconde${seconds > 1 ? 's' : ''}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes > 1 ? 's' : ''}`;
}

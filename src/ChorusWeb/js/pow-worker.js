// Preuve de travail de l'étape 1, calculée hors du fil principal : la page reste utilisable au clavier et
// au lecteur d'écran pendant le calcul. Cherche le nombre n (0 ≤ n ≤ maxNumber) tel que
// SHA-256(salt + n) = challenge, en hexadécimal.
'use strict';

function hex(buffer) {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < bytes.length; i += 1) out += bytes[i].toString(16).padStart(2, '0');
  return out;
}

async function solve(challenge, salt, maxNumber) {
  const encoder = new TextEncoder();
  const wanted = String(challenge).toLowerCase();
  for (let n = 0; n <= maxNumber; n += 1) {
    if (hex(await crypto.subtle.digest('SHA-256', encoder.encode(salt + n))) === wanted) return n;
  }
  return null;
}

self.onmessage = async (event) => {
  const { challenge, salt, maxNumber } = event.data || {};
  if (!self.crypto || !self.crypto.subtle) {
    self.postMessage({ error: 'unsupported' });
    return;
  }
  try {
    const started = Date.now();
    const number = await solve(challenge, salt, Number(maxNumber));
    self.postMessage({ number, took: Date.now() - started });
  } catch {
    self.postMessage({ error: 'failed' });
  }
};

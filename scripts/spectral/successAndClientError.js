// Spectral custom function: an operation must declare a 2xx and a 4xx response.
// The only way out of the 4xx is `x-no-client-error: <reason>` on an operation without a request body whose every
// request gets an answer in its success body (a GET of a fixed resource, or a lookup that reports an invalid
// identifier as data): inventing a 4xx for it would make the contract lie. The marker must then be honest too:
// a reason, no body, and no 4xx next to it.
export default (operation, _options, context) => {
  if (operation === null || typeof operation !== 'object') {
    return [];
  }

  const responses = Object.keys(operation.responses ?? {});
  const results = [];
  if (!responses.some(code => /^2(\d\d|XX)$/.test(code))) {
    results.push({ message: 'Operation has no 2xx response.', path: [...context.path, 'responses'] });
  }

  const hasClientError = responses.some(code => /^4(\d\d|XX)$/.test(code));
  const reason = operation['x-no-client-error'];
  if (reason === undefined) {
    if (!hasClientError) {
      results.push({ message: 'Operation has no 4xx response (or x-no-client-error with the reason it cannot have one).', path: [...context.path, 'responses'] });
    }

    return results;
  }

  const marker = [...context.path, 'x-no-client-error'];
  if (typeof reason !== 'string' || reason.trim() === '') {
    results.push({ message: 'x-no-client-error must give the reason as text.', path: marker });
  }
  if (operation.requestBody !== undefined) {
    results.push({ message: 'x-no-client-error is not for operations with a request body: a body can always be malformed.', path: marker });
  }
  if (hasClientError) {
    results.push({ message: 'x-no-client-error contradicts the 4xx response it declares.', path: marker });
  }

  return results;
};

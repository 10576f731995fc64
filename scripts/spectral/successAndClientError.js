// Spectral custom function: an operation must declare a 2xx and a 4xx response.
// The only way out of the 4xx is an `x-no-client-error: <reason>` on an operation that takes no input at all
// (no parameter, no body): such an operation has no request a client can get wrong, and inventing a 4xx for
// it would make the contract lie. The marker must then be honest too: no input and no 4xx.
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
      results.push({ message: 'Operation has no 4xx response (or x-no-client-error with a reason, if it takes no input).', path: [...context.path, 'responses'] });
    }

    return results;
  }

  // Path-level parameters count as input too: read them from the path item (the parent of the operation).
  const pathItem = context.document.data.paths?.[context.path[1]] ?? {};
  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])];
  if (typeof reason !== 'string' || reason.trim() === '') {
    results.push({ message: 'x-no-client-error must give the reason as text.', path: [...context.path, 'x-no-client-error'] });
  }
  if (parameters.length > 0 || operation.requestBody !== undefined) {
    results.push({ message: 'x-no-client-error is only for operations without parameters or body.', path: [...context.path, 'x-no-client-error'] });
  }
  if (hasClientError) {
    results.push({ message: 'x-no-client-error contradicts the 4xx response it declares.', path: [...context.path, 'x-no-client-error'] });
  }

  return results;
};

// Start-up script of the API reference page (/api/docs). Served from this origin (the page's CSP forbids inline
// scripts). Everything that would reach another site is switched off: web fonts, telemetry, the request proxy,
// the hosted API client, developer tools, the agent and MCP features.
Scalar.createApiReference('#app', {
  url: new URL('openapi.yaml', document.baseURI).href,
  withDefaultFonts: false,
  telemetry: false,
  proxyUrl: '',
  hideClientButton: true,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
  documentDownloadType: 'yaml',
  showOperationId: true,
});

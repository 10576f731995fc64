// The static front end (src/ChorusWeb). Standard is the lowest plan that can link a backend:
// the browser calls /api on the static web app's own origin and it forwards to the Function App.

@description('Static web app name.')
param name string

@description('Static Web Apps region (only a few regions host the service).')
param location string

@description('Tags applied to every resource (the app also gets azd-service-name: web).')
param tags object

resource staticWebApp 'Microsoft.Web/staticSites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'web' })
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    // azd uploads the files itself; no repository is connected.
    provider: 'Custom'
    allowConfigFileUpdates: true
    stagingEnvironmentPolicy: 'Disabled'
  }
}

output id string = staticWebApp.id
output name string = staticWebApp.name
output defaultHostname string = staticWebApp.properties.defaultHostname

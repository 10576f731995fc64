// Links the Function App as the static web app's backend: requests to
// https://<static web app>/api/* are forwarded to it. Linking also puts an identity provider
// on the Function App so that it answers only through the static web app.

@description('Name of the existing static web app.')
param staticWebAppName string

@description('Resource id of the Function App.')
param functionAppId string

@description('Region of the Function App.')
param functionAppLocation string

resource staticWebApp 'Microsoft.Web/staticSites@2025-03-01' existing = {
  name: staticWebAppName
}

resource backend 'Microsoft.Web/staticSites/linkedBackends@2025-03-01' = {
  parent: staticWebApp
  name: 'api'
  properties: {
    backendResourceId: functionAppId
    region: functionAppLocation
  }
}

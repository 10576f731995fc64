// The Function App's user-assigned managed identity. Every data-plane access of the app
// (storage, Key Vault references, Application Insights ingestion, ACS email) uses it; no key
// or connection string is stored in any setting.

@description('User-assigned managed identity name.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId

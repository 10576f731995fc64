// Key Vault holding the app's two secrets. Access is Azure RBAC only (no access policies);
// the Function App reads them through Key Vault references resolved with its user-assigned
// identity (Key Vault Secrets User, roles.bicep). Soft delete and purge protection are on.

@description('Key Vault name (3-24 letters, digits and hyphens).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Days a deleted vault or secret stays recoverable (7-90).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

@description('Purge protection: once on it cannot be turned off, and a deleted vault cannot be purged before the retention ends.')
param enablePurgeProtection bool = true

@description('HMAC key that signs the app\'s tokens (base64 of at least 32 random bytes). See infra/README.md.')
@secure()
param tokenSigningKey string

@description('INSEE Sirene API key. Empty: no secret is written and the app setting that references it is not set.')
@secure()
param sireneApiKey string = ''

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // The service accepts only true or an absent value, never false.
    enablePurgeProtection: enablePurgeProtection ? true : null
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource tokenSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'token-signing-key'
  properties: {
    value: tokenSigningKey
    contentType: 'base64'
  }
}

resource sireneApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(sireneApiKey)) {
  parent: vault
  name: 'sirene-api-key'
  properties: {
    value: sireneApiKey
    contentType: 'text/plain'
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
output tokenSigningKeySecretName string = tokenSigningKeySecret.name
output sireneApiKeySecretName string = 'sirene-api-key'

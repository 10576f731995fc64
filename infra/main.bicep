// ChorusFunctions: everything `azd up` creates, at subscription scope.
// Plain resource declarations only (registry modules cannot be restored where this is built);
// checked offline by scripts/lint-infra.sh.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region of every regional resource. It must offer the Flex Consumption plan (e.g. francecentral, westeurope, northeurope, swedencentral, eastus).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Region of the static web app: the service exists only in a few regions.')
@allowed([
  'westeurope'
  'centralus'
  'eastus2'
  'westus2'
  'eastasia'
])
param staticWebAppLocation string = 'westeurope'

@description('Object id of the deploying user (azd sets AZURE_PRINCIPAL_ID). It gets data roles on storage and Key Vault for inspection. Empty for none.')
param principalId string = ''

@description('Kind of principal principalId is (ServicePrincipal in CI).')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('HMAC key that signs the app\'s tokens: base64 of at least 32 random bytes. infra/hooks/preprovision.sh generates one with openssl once per azd environment so it stays stable; the fallback default is a fresh random value on every deployment.')
@secure()
param tokenSigningKey string = base64('${newGuid()}${newGuid()}${newGuid()}')

@description('INSEE Sirene API key, stored in Key Vault as sirene-api-key. Empty: no secret and no Directory__Sirene__ApiKey setting.')
@secure()
param sireneApiKey string = ''

@description('Company register provider used by the app (Directory__Provider), e.g. RechercheEntreprises (no key) or Sirene (needs sireneApiKey).')
param directoryProvider string = 'RechercheEntreprises'

@description('Data location of Azure Communication Services (email).')
param communicationDataLocation string = 'Europe'

@description('Highest number of Function App instances.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each Function App instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Key Vault purge protection. Keep true for real environments; false lets `azd down --purge` purge the vault of a throwaway environment.')
param keyVaultPurgeProtection bool = true

@description('Days a deleted Key Vault stays recoverable (and its name reserved).')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 90

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

// Durable task hub names: letters and digits only, 3-45 characters, starting with a letter.
var taskHubName = take(
  'chorus${toLower(replace(replace(replace(replace(replace(environmentName, '-', ''), '_', ''), '.', ''), '(', ''), ')', ''))}',
  45
)

// Resource names, all derived from the environment so that modules get compile-time names.
var names = {
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  identity: 'id-api-${resourceToken}'
  storage: 'st${resourceToken}'
  deploymentContainer: 'app-package-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  emailService: 'ecs-${resourceToken}'
  communicationService: 'acs-${resourceToken}'
  staticWebApp: 'stapp-${resourceToken}'
  functionApp: 'func-${resourceToken}'
  plan: 'plan-${resourceToken}'
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: names.deploymentContainer
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    tokenSigningKey: tokenSigningKey
    sireneApiKey: sireneApiKey
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  scope: rg
  params: {
    emailServiceName: names.emailService
    communicationServiceName: names.communicationService
    dataLocation: communicationDataLocation
    tags: tags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    appIdentityName: names.identity
    userPrincipalId: principalId
    userPrincipalType: principalType
    storageAccountName: names.storage
    applicationInsightsName: names.applicationInsights
    keyVaultName: names.keyVault
    communicationServiceName: names.communicationService
  }
  dependsOn: [
    identity
    storage
    monitoring
    keyVault
    communication
  ]
}

module staticWebApp 'modules/staticwebapp.bicep' = {
  name: 'staticwebapp'
  scope: rg
  params: {
    name: names.staticWebApp
    location: staticWebAppLocation
    tags: tags
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    keyVaultName: keyVault.outputs.name
    hasSireneApiKey: !empty(sireneApiKey)
    communicationEndpoint: communication.outputs.endpoint
    senderAddress: communication.outputs.senderAddress
    staticWebAppHostname: staticWebApp.outputs.defaultHostname
    taskHubName: taskHubName
    directoryProvider: directoryProvider
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
  // The host starts as soon as the app exists: its identity must already hold the storage,
  // Key Vault and monitoring roles.
  dependsOn: [
    roles
  ]
}

module staticWebAppBackend 'modules/staticwebapp-backend.bicep' = {
  name: 'staticwebapp-backend'
  scope: rg
  params: {
    staticWebAppName: names.staticWebApp
    functionAppId: functionApp.outputs.id
    functionAppLocation: location
  }
}

// Outputs read by azd (written to .azure/<env>/.env) and by infra/hooks.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_STATIC_WEB_APP_NAME string = staticWebApp.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_COMMUNICATION_SERVICE_ENDPOINT string = communication.outputs.endpoint
output AZURE_EMAIL_SENDER_ADDRESS string = communication.outputs.senderAddress
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_DURABLE_TASK_HUB string = taskHubName
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_ENDPOINTS array = ['https://${staticWebApp.outputs.defaultHostname}/api']
output SERVICE_WEB_NAME string = staticWebApp.outputs.name
output SERVICE_WEB_ENDPOINTS array = ['https://${staticWebApp.outputs.defaultHostname}']

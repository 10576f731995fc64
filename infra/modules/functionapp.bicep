// The API: a Function App on the Flex Consumption plan (FC1), .NET 10 isolated worker.
// Every app setting the code reads in Azure is declared here (see infra/settings.json);
// none holds a secret: storage, telemetry and email use the user-assigned identity, and the
// two secrets are Key Vault references.

@description('Function App name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to every resource (the app also gets azd-service-name: api).')
param tags object

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Blob endpoint of the storage account, ending with a slash.')
param storageBlobEndpoint string

@description('Queue endpoint of the storage account.')
param storageQueueEndpoint string

@description('Table endpoint of the storage account.')
param storageTableEndpoint string

@description('Blob container that receives the deployment package.')
param deploymentContainerName string

@description('Application Insights connection string (not a secret: local auth is disabled).')
param applicationInsightsConnectionString string

@description('Key Vault holding token-signing-key and, optionally, sirene-api-key.')
param keyVaultName string

@description('Whether sirene-api-key exists in the vault (Directory__Sirene__ApiKey is set only then).')
param hasSireneApiKey bool

@description('Communication Service endpoint, e.g. https://name.europe.communication.azure.com')
param communicationEndpoint string

@description('Sender address on the linked email domain.')
param senderAddress string

@description('Default host name of the static web app (the public origin of the front end).')
param staticWebAppHostname string

@description('Durable Functions task hub name (letters and digits, 3-45 characters).')
@minLength(3)
@maxLength(45)
param taskHubName string

@description('Company register provider read by the app (Directory__Provider).')
param directoryProvider string

@description('Highest number of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

var frontEndOrigin = 'https://${staticWebAppHostname}'
var tokenKeyReference = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=token-signing-key)'
var sireneKeyReference = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=sirene-api-key)'

var baseAppSettings = [
  // Functions host storage (timers, Durable Task Azure Storage backend, the app's tables),
  // identity-based: no connection string.
  {
    name: 'AzureWebJobsStorage__blobServiceUri'
    value: storageBlobEndpoint
  }
  {
    name: 'AzureWebJobsStorage__queueServiceUri'
    value: storageQueueEndpoint
  }
  {
    name: 'AzureWebJobsStorage__tableServiceUri'
    value: storageTableEndpoint
  }
  {
    name: 'AzureWebJobsStorage__credential'
    value: 'managedidentity'
  }
  {
    name: 'AzureWebJobsStorage__clientId'
    value: identityClientId
  }
  // DefaultAzureCredential in the worker picks the user-assigned identity from this.
  {
    name: 'AZURE_CLIENT_ID'
    value: identityClientId
  }
  // Telemetry, Entra ID authenticated (local auth is disabled on the component).
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: applicationInsightsConnectionString
  }
  {
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
    value: 'Authorization=AAD;ClientId=${identityClientId}'
  }
  // Durable task hub (host.json reads %Durable__TaskHub%).
  {
    name: 'Durable__TaskHub'
    value: taskHubName
  }
  // Secrets: Key Vault references resolved by the platform with the user-assigned identity.
  {
    name: 'Security__TokenKey'
    value: tokenKeyReference
  }
  // Email through Azure Communication Services, managed identity auth.
  {
    name: 'Email__Provider'
    value: 'AzureCommunicationServices'
  }
  {
    name: 'Email__Acs__Endpoint'
    value: communicationEndpoint
  }
  {
    name: 'Email__SenderAddress'
    value: senderAddress
  }
  {
    name: 'Email__ActivationUrlBase'
    value: '${frontEndOrigin}/activation'
  }
  {
    name: 'Email__PortalUrl'
    value: '${frontEndOrigin}/'
  }
  {
    name: 'Structures__JoinRequestUrlBase'
    value: '${frontEndOrigin}/rattachement'
  }
  // Company register.
  {
    name: 'Directory__Provider'
    value: directoryProvider
  }
  // Rate limits: the shared counter keeps back what each of at most this many instances allows on its own.
  {
    name: 'RateLimits__Instances'
    value: string(maximumInstanceCount)
  }
  // Cleanup backstop timer.
  {
    name: 'Cleanup__Schedule'
    value: '0 */5 * * * *'
  }
  {
    name: 'Cleanup__HistoryRetention'
    value: '30.00:00:00'
  }
  // Front end.
  {
    name: 'Captcha__Provider'
    value: 'Image'
  }
]

var sireneAppSettings = hasSireneApiKey
  ? [
      {
        name: 'Directory__Sirene__ApiKey'
        value: sireneKeyReference
      }
    ]
  : []

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved with the user-assigned identity, not a system one.
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(baseAppSettings, sireneAppSettings)
    }
  }
}

// No basic-auth (publishing profile) deployments: azd deploys with an Entra ID token.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output id string = functionApp.id
output name string = functionApp.name
output defaultHostname string = functionApp.properties.defaultHostName

// Email: an Email Communication Service with an Azure-managed domain
// (DoNotReply@<guid>.azurecomm.net, no DNS to set up), linked to a Communication Service
// whose endpoint the app calls (POST {endpoint}/emails:send) with its managed identity.
// Azure-managed domains are limited to a few sends per minute and per hour; for production
// traffic add a verified custom domain (infra/README.md).

@description('Email Communication Service name.')
param emailServiceName string

@description('Communication Service name.')
param communicationServiceName string

@description('Where ACS stores data at rest. The domain and the Communication Service must share it.')
@allowed([
  'Africa'
  'Asia Pacific'
  'Australia'
  'Brazil'
  'Canada'
  'Europe'
  'France'
  'Germany'
  'India'
  'Japan'
  'Korea'
  'Norway'
  'Switzerland'
  'UAE'
  'UK'
  'United States'
])
param dataLocation string = 'Europe'

@description('Tags applied to every resource.')
param tags object

resource emailService 'Microsoft.Communication/emailServices@2025-09-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource azureManagedDomain 'Microsoft.Communication/emailServices/domains@2025-09-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    // No tracking pixel or rewritten links in activation emails.
    userEngagementTracking: 'Disabled'
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2025-09-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    // Access keys (HMAC) off: only Entra ID tokens, e.g. the Function App's managed identity.
    disableLocalAuth: true
    linkedDomains: [
      azureManagedDomain.id
    ]
  }
}

output communicationServiceId string = communicationService.id
output communicationServiceName string = communicationService.name
output endpoint string = 'https://${communicationService.properties.hostName}'
output senderAddress string = 'DoNotReply@${azureManagedDomain.properties.mailFromSenderDomain}'

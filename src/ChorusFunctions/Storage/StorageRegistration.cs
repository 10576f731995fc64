using Azure.Core;
using Azure.Identity;

namespace ChorusFunctions.Storage;

/// <summary>
/// Registers one <see cref="TableServiceClient"/> from the same storage settings the Functions host uses:
/// <c>AzureWebJobsStorage</c> (a connection string, locally) or <c>AzureWebJobsStorage__tableServiceUri</c>
/// with a managed identity (<c>AzureWebJobsStorage__clientId</c>) in Azure.
/// </summary>
public static class StorageRegistration
{
    public const string ConnectionSetting = "AzureWebJobsStorage";

    public static IServiceCollection AddTableStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => CreateTableServiceClient(configuration));
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TableClients>();
        services.AddHostedService<TableInitializer>();
        return services;
    }

    public static TableServiceClient CreateTableServiceClient(IConfiguration configuration)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);

        string? connectionString = configuration[ConnectionSetting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new TableServiceClient(connectionString, options);
        }

        string? serviceUri = configuration[$"{ConnectionSetting}:tableServiceUri"];
        if (string.IsNullOrWhiteSpace(serviceUri))
        {
            throw new InvalidOperationException(
                "Storage is not configured: set AzureWebJobsStorage (a connection string) or " +
                "AzureWebJobsStorage__tableServiceUri (with a managed identity).");
        }

        return new TableServiceClient(new Uri(serviceUri), CreateCredential(configuration), options);
    }

    public static TokenCredential CreateCredential(IConfiguration configuration)
    {
        string? clientId = configuration[$"{ConnectionSetting}:clientId"] ?? configuration["AZURE_CLIENT_ID"];
        return string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}

/// <summary>Creates the tables once when the host starts, instead of on every request.</summary>
public sealed partial class TableInitializer(TableClients tables, ILogger<TableInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string table in TableNames.All)
        {
            await tables.Get(table).CreateIfNotExistsAsync(cancellationToken);
        }

        LogTablesReady(TableNames.All.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} tables ready")]
    partial void LogTablesReady(int count);
}

using Azure.Core;
using Azure.Identity;

namespace ChorusFunctions.Storage;

/// <summary>One <see cref="TableServiceClient"/> from the Functions host's own storage settings (connection string or managed identity).</summary>
public static class StorageRegistration
{
    public const string ConnectionSetting = "AzureWebJobsStorage";

    public static IServiceCollection AddTableStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ =>
        {
            var options = new TableClientOptions { Retry = { MaxRetries = 3, NetworkTimeout = TimeSpan.FromSeconds(30) } };
            string? connectionString = configuration[ConnectionSetting];
            string? serviceUri = configuration[$"{ConnectionSetting}:tableServiceUri"];
            return !string.IsNullOrWhiteSpace(connectionString) ? new TableServiceClient(connectionString, options)
                : !string.IsNullOrWhiteSpace(serviceUri) ? new TableServiceClient(new Uri(serviceUri), CreateCredential(configuration), options)
                : throw new InvalidOperationException(
                    "Storage is not configured: set AzureWebJobsStorage (a connection string) or " +
                    "AzureWebJobsStorage__tableServiceUri (with a managed identity).");
        });
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TableClients>();
        services.AddHostedService<TableInitializer>();
        return services;
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

using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Storage;

/// <summary>The application's tables. Each one is created once at start-up (<see cref="TableInitializer"/>).</summary>
public static class TableNames
{
    public const string Signups = "Signups";
    public const string EmailReservations = "EmailReservations";
    public const string Accounts = "Accounts";
    public const string Structures = "Structures";
    public const string ActivationTokens = "ActivationTokens";
    public const string ExpiryIndex = "ExpiryIndex";
    public const string JoinRequests = "JoinRequests";

    public static IReadOnlyList<string> All { get; } =
        [Signups, EmailReservations, Accounts, Structures, ActivationTokens, ExpiryIndex, JoinRequests];
}

/// <summary>Settings <c>Storage__*</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// Put before every table name, so that several deployments (or test hosts) can share one storage account
    /// without seeing each other's rows, as the Durable task hub name does for its own tables and queues.
    /// </summary>
    [RegularExpression("^([A-Za-z][A-Za-z0-9]{0,19})?$")]
    public string TablePrefix { get; set; } = "";
}

/// <summary>Gives each store its table client from the one registered <see cref="TableServiceClient"/>.</summary>
public sealed class TableClients(TableServiceClient service, IOptions<StorageOptions> options)
{
    public TableServiceClient Service { get; } = service;

    public TableClient Get(string tableName) => Service.GetTableClient(options.Value.TablePrefix + tableName);
}

/// <summary>
/// Table keys may not contain '/', '\\', '#', '?' or control characters. Values typed by users (emails,
/// identifiers) are escaped so that any input maps to a valid, unique key.
/// </summary>
public static class TableKeys
{
    public static string Escape(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' or '\'' || char.IsControl(c))
            {
                builder.Append('%').Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

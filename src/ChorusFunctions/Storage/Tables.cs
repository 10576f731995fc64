namespace ChorusFunctions.Storage;

/// <summary>Every table of the app. Each one is created once at start-up (<see cref="TableInitializer"/>).</summary>
public static class TableNames
{
    public const string Signups = "Signups";
    public const string EmailReservations = "EmailReservations";
    public const string Accounts = "Accounts";
    public const string Structures = "Structures";
    public const string ActivationTokens = "ActivationTokens";
    public const string ExpiryIndex = "ExpiryIndex";
    public const string JoinRequests = "JoinRequests";

    /// <summary>Issued image captchas (answer hashed), partitioned by expiry minute.</summary>
    public const string Captchas = "Captchas";

    /// <summary>Fixed-window counters of rate limits and failure counts, partitioned by window end.</summary>
    public const string RateCounters = "RateCounters";

    /// <summary>Lockouts and once-a-day marks (enumeration notices).</summary>
    public const string SecurityMarks = "SecurityMarks";

    /// <summary>The append-only audit trail.</summary>
    public const string AuditTrail = "AuditTrail";

    public static IReadOnlyList<string> All { get; } =
        [Signups, EmailReservations, Accounts, Structures, ActivationTokens, ExpiryIndex, JoinRequests, Captchas, RateCounters, SecurityMarks, AuditTrail];
}

/// <summary>Settings <c>Storage__*</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Before every table name, so deployments (or test hosts) can share a storage account, as task hubs do.</summary>
    [RegularExpression("^([A-Za-z][A-Za-z0-9]{0,19})?$")]
    public string TablePrefix { get; set; } = "";
}

/// <summary>Gives each store its table client from the one registered <see cref="TableServiceClient"/>.</summary>
public sealed class TableClients(TableServiceClient service, IOptions<StorageOptions> options)
{
    public TableServiceClient Service { get; } = service;

    public TableClient Get(string tableName) => Service.GetTableClient(options.Value.TablePrefix + tableName);
}

/// <summary>Table keys may not hold '/', '\\', '#', '?' or control characters: user input is escaped to a valid, unique key.</summary>
public static class TableKeys
{
    public static string Escape(string value) => string.Concat(value.Select(c => c is '/' or '\\' or '#' or '?' or '%' or '\'' || char.IsControl(c)
        ? "%" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
        : c.ToString()));
}

/// <summary>Time-ordered keys: partitions that sort by time let cleanup read only what has expired.</summary>
public static class TimeKeys
{
    /// <summary>UTC, to the second, sortable ("20261125143000").</summary>
    public static string Second(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>UTC, to the minute, sortable ("202611251430").</summary>
    public static string Minute(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
}

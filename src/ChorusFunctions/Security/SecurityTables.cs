using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;

namespace ChorusFunctions.Security;

/// <summary>The tables of the security controls, created at start-up beside the application's own.</summary>
public static class SecurityTableNames
{
    /// <summary>Issued image captchas (answer hashed), partitioned by expiry minute.</summary>
    public const string Captchas = "Captchas";

    /// <summary>Fixed-window counters of rate limits and failure counts, partitioned by window end.</summary>
    public const string RateCounters = "RateCounters";

    /// <summary>Lockouts and once-a-day marks (enumeration notices).</summary>
    public const string SecurityMarks = "SecurityMarks";

    /// <summary>The append-only audit trail.</summary>
    public const string AuditTrail = "AuditTrail";

    public static IReadOnlyList<string> All { get; } = [Captchas, RateCounters, SecurityMarks, AuditTrail];
}

/// <summary>Creates the security tables once when the host starts.</summary>
public sealed class SecurityTableInitializer(Storage.TableClients tables) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string table in SecurityTableNames.All)
        {
            await tables.Get(table).CreateIfNotExistsAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Time-ordered keys: partitions that sort by time let cleanup read only what has expired.</summary>
public static class TimeKeys
{
    /// <summary>UTC, to the second, sortable ("20261125143000").</summary>
    public static string Second(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>UTC, to the minute, sortable ("202611251430").</summary>
    public static string Minute(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);
}

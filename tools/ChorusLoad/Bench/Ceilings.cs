using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Data.Tables;

namespace ChorusLoad.Bench;

/// <summary>What one PBKDF2 hash costs and what Azurite can do at most, measured on this machine in the same run.</summary>
public sealed record CeilingFigures(
    double HashCpuSeconds,
    double HashWallSeconds,
    int Cores,
    double HashBoundSignupsPerSecond,
    double AzuriteInsertsPerSecond,
    double AzuritePointReadsPerSecond,
    int AzuriteProbeConcurrency);

public static class Ceilings
{
    /// <summary>The activation's hash (SecretHasher: PBKDF2-HMAC-SHA512, 210,000 iterations, 16-byte salt, 32-byte hash).</summary>
    const int Iterations = 210_000;

    /// <summary>
    /// The CPU time of one hash: the median of a few, each timed by this process's CPU clock while nothing else of the
    /// driver runs (the hosts are not started yet). Activation hashes twice: password and secret answer.
    /// </summary>
    public static (double Cpu, double Wall) MeasureHash(int samples = 5)
    {
        byte[] secret = "Vt7#kQ2m!Lp9zX-Jardin"u8.ToArray(), salt = RandomNumberGenerator.GetBytes(16);
        Rfc2898DeriveBytes.Pbkdf2(secret, salt, 1000, HashAlgorithmName.SHA512, 32);
        var cpu = new List<double>();
        var wall = new List<double>();
        using Process self = Process.GetCurrentProcess();
        for (int i = 0; i < samples; i++)
        {
            self.Refresh();
            TimeSpan before = self.TotalProcessorTime;
            long started = Stopwatch.GetTimestamp();
            Rfc2898DeriveBytes.Pbkdf2(secret, salt, Iterations, HashAlgorithmName.SHA512, 32);
            wall.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            self.Refresh();
            cpu.Add((self.TotalProcessorTime - before).TotalSeconds);
        }

        return (Median(cpu), Median(wall));
    }

    /// <summary>Raw table inserts, then point reads of what was inserted, each for <paramref name="duration"/>, against a table of the probe's own.</summary>
    public static async Task<(double Inserts, double Reads)> MeasureAzuriteAsync(TableServiceClient service, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        TableClient table = service.GetTableClient("BenchProbe");
        await table.CreateIfNotExistsAsync(cancellationToken);
        var keys = new System.Collections.Concurrent.ConcurrentBag<(string, string)>();
        double inserts = await RunAsync(concurrency, duration, async worker =>
        {
            var row = new TableEntity($"p{worker}", Guid.NewGuid().ToString("N")) { ["Status"] = "AwaitingDetails", ["LoginEmail"] = "probe@exemple.fr", ["Count"] = 1 };
            await table.AddEntityAsync(row, cancellationToken);
            keys.Add((row.PartitionKey, row.RowKey));
        }, cancellationToken);
        (string, string)[] written = [.. keys];
        double reads = await RunAsync(concurrency, duration, async worker =>
        {
            (string partition, string row) = written[Random.Shared.Next(written.Length)];
            await table.GetEntityAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        }, cancellationToken);
        await table.DeleteAsync(cancellationToken);
        return (inserts, reads);
    }

    static async Task<double> RunAsync(int concurrency, TimeSpan duration, Func<int, Task> operation, CancellationToken cancellationToken)
    {
        long count = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            while (clock.Elapsed < duration)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await operation(worker);
                Interlocked.Increment(ref count);
            }
        }));
        return count / clock.Elapsed.TotalSeconds;
    }

    static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}

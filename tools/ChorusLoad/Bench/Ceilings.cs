using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Azure.Data.Tables;

namespace ChorusLoad.Bench;

/// <summary>What one PBKDF2 hash costs and what Azurite can do at most, measured on this machine in the same run.</summary>
/// <param name="HashAloneCpuSeconds">One hash on an otherwise idle machine, by the hashing thread's own CPU clock.</param>
/// <param name="HashesPerSecondBefore">Hashes per second with every core hashing, before the load.</param>
/// <param name="HashesPerSecondAfter">The same, after the load: the machine's speed drifts over minutes.</param>
/// <param name="SampleAloneCpuSeconds">A during-load sample's hash (<see cref="Ceilings.SampleIterations"/>) alone, scaled to the whole hash: checks the scaling.</param>
/// <param name="HashDuringLoad">
/// One hash's CPU time while the load ran (the median of samples taken through it), to share a signup's CPU between its
/// hashes and the rest. Not the ceiling's: while the load runs, the other cores mostly do other work than hashing.
/// </param>
public sealed record CeilingFigures(
    double HashAloneCpuSeconds,
    double HashesPerSecondBefore,
    double HashesPerSecondAfter,
    double SampleAloneCpuSeconds,
    HashSamples HashDuringLoad,
    int Cores,
    double AzuriteInsertsPerSecond,
    double AzuritePointReadsPerSecond,
    int AzuriteProbeConcurrency)
{
    /// <summary>Signups per second if the machine did nothing but the two hashes of each activation.</summary>
    public double HashBoundSignupsPerSecond => (HashesPerSecondBefore + HashesPerSecondAfter) / 2 / 2;

    /// <summary>The CPU time of one hash while every core hashes (cores share caches and memory bandwidth).</summary>
    public double HashLoadedCpuSeconds => Cores * 2 / (HashesPerSecondBefore + HashesPerSecondAfter);

    /// <summary>How far the hashing rate moved between the probes before and after the load, relative to the lower one.</summary>
    public double Drift => Math.Abs(HashesPerSecondBefore - HashesPerSecondAfter) / Math.Min(HashesPerSecondBefore, HashesPerSecondAfter);
}

/// <summary>The median CPU time of one hash over <paramref name="Count"/> samples.</summary>
public sealed record HashSamples(double MedianCpuSeconds, int Count);

public static partial class Ceilings
{
    /// <summary>The activation's hash (SecretHasher: PBKDF2-HMAC-SHA512, 210,000 iterations, 16-byte salt, 32-byte hash).</summary>
    const int Iterations = 210_000;

    /// <summary>
    /// A sample during the load hashes a tenth of the iterations, scaled up: PBKDF2's cost is linear in them, and a
    /// sample a second then takes about 1% of one core from the load it measures.
    /// </summary>
    public const int SampleIterations = Iterations / 10;

    static readonly byte[] Secret = "Vt7#kQ2m!Lp9zX-Jardin"u8.ToArray();

    /// <summary>One hash alone (of <paramref name="iterations"/>, scaled to the whole hash): the median of a few, each timed by the hashing thread's CPU clock.</summary>
    public static double MeasureHashAlone(int iterations = Iterations, int samples = 5)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        Rfc2898DeriveBytes.Pbkdf2(Secret, salt, 1000, HashAlgorithmName.SHA512, 32);
        var cpu = new List<double>();
        for (int i = 0; i < samples; i++)
        {
            cpu.Add(TimeHash(salt, iterations));
        }

        return Median(cpu);
    }

    /// <summary>
    /// Samples the hash's CPU time every <paramref name="every"/> until <paramref name="stop"/>, on a thread of its own:
    /// its CPU clock counts only the time it ran, not the time it waited for a core the load held.
    /// </summary>
    public static Task<HashSamples> SampleHashDuringAsync(TimeSpan every, CancellationToken stop) =>
        Task.Factory.StartNew(() =>
        {
            byte[] salt = RandomNumberGenerator.GetBytes(16);
            var cpu = new List<double>();
            do
            {
                cpu.Add(TimeHash(salt, SampleIterations));
            }
            while (!stop.WaitHandle.WaitOne(every));
            return new HashSamples(Median(cpu), cpu.Count);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    static double TimeHash(byte[] salt, int iterations)
    {
        double before = ThreadCpuSeconds();
        Rfc2898DeriveBytes.Pbkdf2(Secret, salt, iterations, HashAlgorithmName.SHA512, 32);
        return (ThreadCpuSeconds() - before) * Iterations / iterations;
    }

    /// <summary>
    /// Hashes per second with one thread per core hashing for <paramref name="duration"/>: the most the machine can hash,
    /// which is what bounds activations. Nothing else of the benchmark runs meanwhile.
    /// </summary>
    public static double MeasureHashesPerSecond(int cores, TimeSpan duration)
    {
        long hashes = 0;
        var clock = Stopwatch.StartNew();
        Thread[] threads = [.. Enumerable.Range(0, cores).Select(_ => new Thread(() =>
        {
            byte[] salt = RandomNumberGenerator.GetBytes(16);
            while (clock.Elapsed < duration)
            {
                Rfc2898DeriveBytes.Pbkdf2(Secret, salt, Iterations, HashAlgorithmName.SHA512, 32);
                Interlocked.Increment(ref hashes);
            }
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        return hashes / clock.Elapsed.TotalSeconds;
    }

    /// <summary>CLOCK_THREAD_CPUTIME_ID: this thread only, in nanoseconds (the process clock counts every thread, in ticks).</summary>
    static double ThreadCpuSeconds() =>
        ClockGetTime(3, out TimeSpec now) == 0 ? now.Seconds + now.Nanoseconds / 1e9 : throw new InvalidOperationException("clock_gettime failed");

    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

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

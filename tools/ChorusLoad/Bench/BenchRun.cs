using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ChorusFunctions.Testing;
using ChorusLoad.Driver;
using ChorusLoad.Faults;
using ChorusLoad.Mail;
using ChorusLoad.Stack;

namespace ChorusLoad.Bench;

/// <summary>
/// The benchmark: whole signups through the local host (Release) on Azurite, with the SMTP sink in the
/// driver; throughput, latency per step, storage requests per signup from Azurite's request log, CPU per process, and
/// the ceilings measured in the same run. It reports; it asserts no timing.
/// </summary>
public static class BenchRun
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        int signups = options.Int("signups", 300), concurrency = options.Int("concurrency", 16), hostCount = options.Int("hosts", 1);
        bool kill = options.Bool("kill", false) && hostCount > 1;
        double raceShare = options.Double("race-share", 0.05);
        int racers = raceShare <= 0 ? 0 : Math.Max(2, (int)Math.Round(signups * raceShare));
        TimeSpan idle = options.Seconds("idle", 10), probe = options.Seconds("probe", 3), tail = options.Seconds("tail", 30), settle = options.Seconds("settle", 180);
        string output = Path.GetFullPath(options.String("output", Path.Combine(RepositoryRoot.Path, "test-output", "bench.json")));
        var random = new Random(options.Int("seed", Environment.TickCount));
        Console.WriteLine($"bench: {signups} signups ({racers} racing on one email), concurrency {concurrency}, {hostCount} host(s){(kill ? ", one killed mid-run" : "")}, rate limits on");

        await using AzuriteLog log = AzuriteLog.Open();
        // A run with a kill waits for every invariant, so its looks run as in the fault run; otherwise the defaults.
        var hostSettings = kill ? new Dictionary<string, string>(FaultRun.QuickLooks) : [];
        await using LoadStack stack = await LoadStack.StartAsync(
            new StackSettings(options.String("configuration", "Release"), hostCount, hostSettings, log.Path, Published: true), cancellationToken, startHosts: false);
        log.UseTaskHub(stack.TaskHub);

        // Ceilings first, while nothing else runs; the hashing rate again after the load, and sampled during it, since
        // the machine drifts.
        int cores = Environment.ProcessorCount;
        double hashAlone = Ceilings.MeasureHashAlone(), sampleAlone = Ceilings.MeasureHashAlone(Ceilings.SampleIterations);
        double hashesBefore = Ceilings.MeasureHashesPerSecond(cores, probe);
        int probeConcurrency = 8;
        (double inserts, double reads) = await Ceilings.MeasureAzuriteAsync(stack.Tables, probeConcurrency, probe, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ceilings: PBKDF2 hash {hashAlone * 1000:0} ms CPU alone, {hashesBefore:0.0} hashes/s on {cores} cores; Azurite {inserts:0} inserts/s, {reads:0} point reads/s"));

        await stack.StartHostsAsync(cancellationToken);
        // A host's start-up (tables created, queues and leases set up) is not idle polling: it is left out of the window.
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        Console.WriteLine($"hosts up; idle window {idle.TotalSeconds:0}s (queue polling with nothing to do)…");
        DateTime idleFrom = DateTime.UtcNow;
        await Task.Delay(idle, cancellationToken);
        DateTime idleTo = DateTime.UtcNow;

        using HttpClient http = SignupDriver.NewHttpClient();
        var progress = new LoadProgress();
        var pool = new HostPool(stack.Hosts);
        var driverSettings = new DriverSettings(
            EmailWait: options.Seconds("email-wait", 60), MaxNewLinks: 2, StepPatience: options.Seconds("patience", 180),
            RequestTimeout: options.Seconds("request-timeout", 60), RetryRateLimited: false);
        var driver = new SignupDriver(http, stack.Sink, pool, driverSettings, progress);
        IReadOnlyList<SignupPlan> plans = Plans.Make(signups, racers, random);

        DateTime loadFrom = DateTime.UtcNow;
        double loadStart = Clock.Now;
        var cpu = new List<(double At, Cpu Cpu)> { (loadStart, Cpu.Sample(stack)) };
        using var loadDone = new CancellationTokenSource();
        Task sampling = SampleCpuAsync(stack, cpu, loadDone.Token);
        Task<HashSamples> hashing = Ceilings.SampleHashDuringAsync(TimeSpan.FromSeconds(1), loadDone.Token);
        Task killing = kill ? KillOneAsync(stack.Hosts[^1], progress, signups / 2.0, loadDone.Token) : Task.CompletedTask;
        Task reporting = FaultRun.ProgressAsync(progress, signups, () => $"  emails {stack.Sink.Total}", loadDone.Token);
        var results = new SignupResult[plans.Count];
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (plan, ct) => results[plan.Index] = await driver.RunAsync(plan, ct));
        double loadSeconds = Clock.Now - loadStart;
        await loadDone.CancelAsync();
        await killing;
        await reporting;
        await sampling;
        HashSamples hashDuringLoad = await hashing;
        SignupDriver.SettleRaces(results);
        lock (cpu)
        {
            cpu.Add((Clock.Now, Cpu.Sample(stack)));
        }

        // The work a signup leaves behind (its orchestration's last episodes) is counted too, up to a bound.
        var invariants = new Invariants(stack.Tables, stack.TaskHub);
        DateTime tailUntil = DateTime.UtcNow + tail;
        while (DateTime.UtcNow < tailUntil && await invariants.SignupOrchestrationsInFlightAsync(cancellationToken) > 0)
        {
            await Task.Delay(500, cancellationToken);
        }

        DateTime countTo = DateTime.UtcNow;
        InvariantReport check = await invariants.CheckAsync(results, stack.Sink, driver.RetryAnswers, cancellationToken);
        DateTime settleUntil = DateTime.UtcNow + settle;
        double settleStart = Clock.Now;
        while (kill && !check.Holds && DateTime.UtcNow < settleUntil)
        {
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            check = await invariants.CheckAsync(results, stack.Sink, driver.RetryAnswers, cancellationToken);
        }

        // The hosts' logs are saved before they stop; the second hashing probe needs the cores to itself.
        await stack.SaveHostLogsAsync("bench");
        await stack.StopHostsAsync();
        double hashesAfter = Ceilings.MeasureHashesPerSecond(cores, probe);
        var ceilings = new CeilingFigures(hashAlone, hashesBefore, hashesAfter, sampleAlone, hashDuringLoad, cores, inserts, reads, probeConcurrency);
        var report = BenchReport.Build(results, stack.Sink, log, ceilings, cpu, loadStart, loadSeconds,
            (idleFrom, idleTo), (loadFrom, countTo), hostCount, kill, concurrency, check);
        report.Print();
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report.Json, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }), cancellationToken);
        if (options.Get("requests") is { } requestsPath)
        {
            // Every counted request, to read next to the host logs (same clock): which step made which request.
            await File.WriteAllLinesAsync(requestsPath, log.Between(loadFrom, countTo).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.At:HH:mm:ss.fff}\t{r.Method}\t{r.Resource}\t{r.Path}")), cancellationToken);
        }

        Console.WriteLine($"written: {output}; host logs: test-output/bench-host*.log");
        if (!check.Holds)
        {
            FaultRun.Print(check, loadSeconds, Clock.Now - settleStart);
        }

        return report.Completed == 0 || kill && !check.Holds ? 1 : 0;
    }

    /// <summary>CPU of every process each second, so the report can take it up to the last completed signup.</summary>
    static async Task SampleCpuAsync(LoadStack stack, List<(double At, Cpu Cpu)> samples, CancellationToken done)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                Cpu sample = Cpu.Sample(stack);
                lock (samples)
                {
                    samples.Add((Clock.Now, sample));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    static async Task KillOneAsync(LocalHostProcess host, LoadProgress progress, double at, CancellationToken loadDone)
    {
        while (progress.Done < at && !loadDone.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        if (!loadDone.IsCancellationRequested)
        {
            await host.KillAsync();
            Console.WriteLine($"  {Clock.Now,7:0.0}s  {host.Name} killed (SIGKILL) at {progress.Started} started, {progress.Finished} finished; not restarted");
        }
    }
}

/// <summary>Clients spread over the hosts; a client whose host is down goes to one that is up.</summary>
public sealed class HostPool(IReadOnlyList<LocalHostProcess> hosts) : IHostPicker
{
    public Uri BaseFor(int client)
    {
        LocalHostProcess preferred = hosts[client % hosts.Count];
        return preferred.IsRunning ? preferred.BaseUrl : (hosts.FirstOrDefault(h => h.IsRunning) ?? preferred).BaseUrl;
    }
}

/// <summary>CPU seconds so far of the hosts, Azurite and the driver.</summary>
public sealed record Cpu(double[] Hosts, double Azurite, double Driver)
{
    public static Cpu Sample(LoadStack stack)
    {
        using Process self = Process.GetCurrentProcess();
        return new Cpu([.. stack.Hosts.Select(h => h.CpuSeconds)], ProcessCpu.TreeSeconds(stack.Azurite.ProcessId), self.TotalProcessorTime.TotalSeconds);
    }
}

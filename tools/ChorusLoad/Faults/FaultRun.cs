using System.Globalization;
using ChorusLoad.Driver;
using ChorusLoad.Mail;
using ChorusLoad.Stack;

namespace ChorusLoad.Faults;

/// <summary>
/// The kill -9 test: N whole signups at concurrency C by patient clients while the local host is killed
/// with SIGKILL K times at random moments and started again about a second later; then, after a bounded settle
/// period, every signup is checked (<see cref="Invariants"/>). Exit code 1 on any violation.
/// </summary>
public static class FaultRun
{
    /// <summary>
    /// The cleanup (backstop and repair) runs often, and repairs what waits longer than a host needs to come back and
    /// take its work again (restart, partition lease, the 30 s visibility of work items a kill abandoned).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> QuickLooks = new Dictionary<string, string>
    {
        ["Cleanup__Schedule"] = "*/5 * * * * *",
        ["Cleanup__StallAfter"] = "00:00:45",
    };

    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        int signups = options.Int("signups", 300), concurrency = options.Int("concurrency", 8), kills = options.Int("kills", 20);
        TimeSpan settle = options.Seconds("settle", 180);
        int seed = options.Int("seed", Environment.TickCount);
        var random = new Random(seed);
        var driverSettings = new DriverSettings(
            EmailWait: options.Seconds("email-wait", 60),
            MaxNewLinks: options.Int("max-new-links", 4),
            StepPatience: options.Seconds("patience", 180),
            RequestTimeout: options.Seconds("request-timeout", 30),
            RetryRateLimited: true);
        var hostSettings = new Dictionary<string, string>(QuickLooks);
        Console.WriteLine($"faults: {signups} signups, concurrency {concurrency}, {kills} kills, email wait {driverSettings.EmailWait.TotalSeconds:0}s, settle ≤ {settle.TotalSeconds:0}s, seed {seed}");

        await using LoadStack stack = await LoadStack.StartAsync(new StackSettings(options.String("configuration", "Release"), 1, hostSettings), cancellationToken);
        LocalHostProcess host = stack.Hosts[0];
        using HttpClient http = SignupDriver.NewHttpClient();
        var progress = new LoadProgress();
        var driver = new SignupDriver(http, stack.Sink, new SingleHost(host.BaseUrl), driverSettings, progress);
        IReadOnlyList<SignupPlan> plans = Plans.Make(signups, 0, random);

        double loadStart = Clock.Now;
        using var loadDone = new CancellationTokenSource();
        var killer = new Killer(host, kills, signups, progress, random);
        Task killing = killer.RunAsync(loadDone.Token, cancellationToken);
        Task reporting = ProgressAsync(progress, signups, () => $"  kills {killer.Done}", loadDone.Token);
        var results = new SignupResult[plans.Count];
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (plan, ct) => results[plan.Index] = await driver.RunAsync(plan, ct));
        double loadSeconds = Clock.Now - loadStart;
        await loadDone.CancelAsync();
        await killing;
        await reporting;
        if (!host.IsRunning)
        {
            await host.StartAsync(TimeSpan.FromSeconds(180), cancellationToken);
        }

        Console.WriteLine($"load done in {loadSeconds:0.0}s; settling (≤ {settle.TotalSeconds:0}s)…");
        var invariants = new Invariants(stack.Tables, stack.TaskHub);
        DateTime settleUntil = DateTime.UtcNow + settle;
        double settleStart = Clock.Now;
        InvariantReport report;
        while (true)
        {
            report = await invariants.CheckAsync(results, stack.Sink, driver.RetryAnswers, cancellationToken);
            if (report.Holds || DateTime.UtcNow > settleUntil)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        }

        report.Counts.Insert(0, ("kills", host.Kills));
        report.Counts.Insert(1, ("restarts", host.Starts - 1));
        report.Counts.Insert(2, ("client retries", results.Sum(r => r.Retries)));
        Print(report, loadSeconds, Clock.Now - settleStart);
        await stack.SaveHostLogsAsync("faults");
        Console.WriteLine("host logs (every run): test-output/faults-host1.log");

        return report.Holds ? 0 : 1;
    }

    /// <summary>A line every 10 s while the load runs, so a long run shows it is alive.</summary>
    public static async Task ProgressAsync(LoadProgress progress, int total, Func<string> more, CancellationToken done)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                Console.WriteLine($"  {Clock.Now,7:0.0}s  started {progress.Started}/{total}  finished {progress.Finished}{more()}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public static void Print(InvariantReport report, double loadSeconds, double settleSeconds)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== fault run: load {loadSeconds:0.0}s, settle {settleSeconds:0.0}s"));
        foreach ((string name, int value) in report.Counts)
        {
            Console.WriteLine($"  {name,-58} {value,6}");
        }

        foreach ((string name, int value) in report.Details)
        {
            Console.WriteLine($"    {name,-56} {value,6}");
        }

        Console.WriteLine("== invariants (each must be 0)");
        foreach ((string name, int value, IReadOnlyList<string> examples) in report.Violations)
        {
            Console.WriteLine($"  {(value == 0 ? "ok  " : "FAIL")} {name,-53} {value,6}");
            foreach (string example in examples)
            {
                Console.WriteLine($"         {example}");
            }
        }

        Console.WriteLine(report.Holds ? "== every invariant holds" : $"== {report.ViolationTotal} violation(s)");
    }
}

/// <summary>
/// Kills the host K times at random moments spread over the load: kill i comes once the load's progress (signups
/// finished, and half of those under way) passes a random point of window i, plus up to a second; the host starts again about a second later, and the next window counts
/// only once it answers <c>/api/health</c>.
/// </summary>
public sealed class Killer(LocalHostProcess host, int kills, int signups, LoadProgress progress, Random random)
{
    int done;

    public int Done => Volatile.Read(ref done);

    public async Task RunAsync(CancellationToken loadDone, CancellationToken cancellationToken)
    {
        // Windows cover the first 90 % of the load, so that the last kills still fall inside it.
        double[] thresholds = [.. Enumerable.Range(0, kills).Select(i => (i + random.NextDouble()) * 0.9 * signups / Math.Max(kills, 1))];
        foreach (double threshold in thresholds)
        {
            while (progress.Done < threshold)
            {
                if (loadDone.IsCancellationRequested)
                {
                    return;
                }

                await Task.Delay(50, cancellationToken);
            }

            await Task.Delay(random.Next(0, 1000), cancellationToken);
            if (loadDone.IsCancellationRequested)
            {
                return;
            }

            await host.KillAsync();
            Interlocked.Increment(ref done);
            Console.WriteLine($"  {Clock.Now,7:0.0}s  kill {Done}/{kills} (SIGKILL) at {progress.Started} started, {progress.Finished} finished");
            // The restart "about a second later" of the test's definition: a person's host supervisor, not a condition.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            double startedAt = Clock.Now;
            await host.StartAsync(TimeSpan.FromSeconds(180), cancellationToken);
            Console.WriteLine($"  {Clock.Now,7:0.0}s  host answers /api/health again ({Clock.Now - startedAt:0.0}s after restart)");
        }
    }
}

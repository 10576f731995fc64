using ChorusFunctions.Testing;

namespace ChorusLoad.Stack;

/// <summary>
/// One local host as a child process (the built <c>ChorusFunctions.LocalHost.dll</c> under <c>dotnet</c>), on a fixed
/// port so that it can be killed with SIGKILL and started again where clients and links expect it.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    readonly string dll;
    readonly IReadOnlyDictionary<string, string> environment;
    readonly HttpClient probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    readonly System.Text.StringBuilder endedRuns = new();
    ChildProcess? process;
    double cpuOfEndedRuns;

    public LocalHostProcess(string name, string dll, int port, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        this.dll = dll;
        Port = port;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        this.environment = environment;
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseUrl { get; }

    public bool IsRunning => process is { HasExited: false };

    public int Kills { get; private set; }

    public int Starts { get; private set; }

    /// <summary>The last run's output (start-up failures, crashes).</summary>
    public string LastOutput { get; private set; } = "";

    /// <summary>CPU seconds of every run so far: ended runs are sampled just before they are killed.</summary>
    public double CpuSeconds => cpuOfEndedRuns + (process is { } p ? ProcessCpu.TreeSeconds(p.Id) : 0);

    /// <summary>Starts the host and waits until <c>/api/health</c> answers 200.</summary>
    public async Task StartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var env = new Dictionary<string, string>(environment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
        };
        process = ChildProcess.Start("dotnet", [dll], RepositoryRoot.Path, env);
        Starts++;
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                LastOutput = process.Output;
                throw new InvalidOperationException($"The local host {Name} exited during start-up:\n{Tail(LastOutput)}");
            }

            try
            {
                using HttpResponseMessage response = await probe.GetAsync(new Uri(BaseUrl, "api/health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The local host {Name} did not answer /api/health within {timeout}:\n{Tail(process.Output)}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>SIGKILL to the host and its watchdog shell: no shutdown code of the host runs.</summary>
    public async Task KillAsync()
    {
        if (process is null)
        {
            return;
        }

        cpuOfEndedRuns += ProcessCpu.TreeSeconds(process.Id);
        LastOutput = process.Output;
        endedRuns.Append(LastOutput).AppendLine($"==== {Name} killed (SIGKILL) ====");
        await process.DisposeAsync();
        process = null;
        Kills++;
    }

    /// <summary>The output of every run so far (each capped by <see cref="ChildProcess"/>), kills marked.</summary>
    public string AllOutput => endedRuns + (process?.Output ?? "");

    public string RecentOutput(int lines) => Tail(process?.Output ?? LastOutput, lines);

    static string Tail(string output, int lines = 40) => string.Join('\n', output.Split('\n').TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            LastOutput = process.Output;
            await process.DisposeAsync();
            process = null;
        }

        probe.Dispose();
    }
}

using Azure.Data.Tables;
using ChorusFunctions.Testing;
using ChorusLoad.Mail;

namespace ChorusLoad.Stack;

public sealed record StackSettings(
    string Configuration,
    int Hosts,
    IReadOnlyDictionary<string, string> HostSettings,
    string? AzuriteRequestLog = null,
    bool Published = false);

/// <summary>
/// Azurite (in memory, on free ports), the SMTP sink and one or more local hosts on one fresh task hub: the stack both
/// the fault run and the benchmark drive.
/// </summary>
public sealed class LoadStack : IAsyncDisposable
{
    LoadStack(Azurite azurite, SmtpSink sink, IReadOnlyList<LocalHostProcess> hosts, string taskHub, string activationUrlBase)
    {
        Azurite = azurite;
        Sink = sink;
        Hosts = hosts;
        TaskHub = taskHub;
        ActivationUrlBase = activationUrlBase;
        // The driver's own storage requests say who they are, so the benchmark can leave them out of the counts.
        var options = new TableClientOptions();
        options.Diagnostics.ApplicationId = DriverApplicationId;
        Tables = new TableServiceClient(azurite.ConnectionString, options);
    }

    /// <summary>Prefix of the User-Agent of the driver's own storage requests.</summary>
    public const string DriverApplicationId = "chorusload";

    public Azurite Azurite { get; }

    public SmtpSink Sink { get; }

    public IReadOnlyList<LocalHostProcess> Hosts { get; }

    public string TaskHub { get; }

    public string ActivationUrlBase { get; }

    public TableServiceClient Tables { get; }

    /// <param name="published">The host as published (ReadyToRun, as deployed) rather than as built.</param>
    public static string HostDll(string configuration, bool published) =>
        Path.Combine([RepositoryRoot.Path, "src", "ChorusFunctions.LocalHost", "bin", configuration, "net10.0", .. published ? ["linux-x64", "publish"] : Array.Empty<string>(), "ChorusFunctions.LocalHost.dll"]);

    /// <param name="startHosts">False to start the hosts later (<see cref="StartHostsAsync"/>), after probes that must run alone.</param>
    public static async Task<LoadStack> StartAsync(StackSettings settings, CancellationToken cancellationToken, bool startHosts = true)
    {
        string dll = HostDll(settings.Configuration, settings.Published);
        if (!File.Exists(dll))
        {
            string verb = settings.Published ? "publish" : "build";
            throw new InvalidOperationException($"{dll} is missing: {verb} it first (dotnet {verb} src/ChorusFunctions.LocalHost -c {settings.Configuration}).");
        }

        Azurite azurite = await Azurite.StartAsync(settings.AzuriteRequestLog);
        int[] ports = [.. Enumerable.Range(0, settings.Hosts).Select(_ => FreePort.Next())];
        string activationUrlBase = $"http://127.0.0.1:{ports[0]}/activation";
        var sink = new SmtpSink(activationUrlBase);
        string taskHub = "load" + Guid.NewGuid().ToString("N")[..10];
        var hosts = new List<LocalHostProcess>();
        for (int i = 0; i < settings.Hosts; i++)
        {
            var environment = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Durable__TaskHub"] = taskHub,
                // Orchestrations run on the host that leases their partition: with one partition, a second host would
                // run activities only. Several hosts get host.json's count, as Function App instances would.
                ["Durable__PartitionCount"] = settings.Hosts > 1 ? "4" : "1",
                // As many instances as count rate limits here: each allows its free share without a storage request.
                ["RateLimits__Instances"] = settings.Hosts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Captcha__Provider"] = "None",
                ["Email__Provider"] = "Smtp",
                ["Email__Smtp__Host"] = "127.0.0.1",
                ["Email__Smtp__Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Every host writes links to the first: a token works on any host of the hub.
                ["Email__ActivationUrlBase"] = activationUrlBase,
                ["Email__PortalUrl"] = $"http://127.0.0.1:{ports[0]}/",
                ["Structures__JoinRequestUrlBase"] = $"http://127.0.0.1:{ports[0]}/rattachement",
            };
            foreach ((string key, string value) in settings.HostSettings)
            {
                environment[key] = value;
            }

            hosts.Add(new LocalHostProcess($"host{i + 1}", dll, ports[i], environment));
        }

        var stack = new LoadStack(azurite, sink, hosts, taskHub, activationUrlBase);
        if (startHosts)
        {
            try
            {
                await stack.StartHostsAsync(cancellationToken);
            }
            catch
            {
                await stack.DisposeAsync();
                throw;
            }
        }

        return stack;
    }

    public async Task StartHostsAsync(CancellationToken cancellationToken)
    {
        foreach (LocalHostProcess host in Hosts)
        {
            await host.StartAsync(TimeSpan.FromSeconds(180), cancellationToken);
        }
    }

    /// <summary>Stops every host (their output stays in <see cref="SaveHostLogsAsync"/>'s files only if saved first).</summary>
    public async Task StopHostsAsync()
    {
        foreach (LocalHostProcess host in Hosts)
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>Writes each host's output (every run) to <c>test-output/{name}-host{n}.log</c>.</summary>
    public async Task SaveHostLogsAsync(string name)
    {
        string folder = Path.Combine(RepositoryRoot.Path, "test-output");
        Directory.CreateDirectory(folder);
        foreach (LocalHostProcess host in Hosts)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, $"{name}-{host.Name}.log"), host.AllOutput);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostsAsync();
        await Sink.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

namespace ChorusFunctions.Testing;

/// <summary>
/// A real Azurite (the npm package pinned in package.json) on free loopback ports, in memory. One is shared by
/// every test of a test process; tests keep apart by using their own ids, emails and task hubs.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    static readonly SemaphoreSlim StartLock = new(1, 1);
    static Azurite? shared;

    readonly ChildProcess process;

    Azurite(ChildProcess process, int blobPort, int queuePort, int tablePort)
    {
        this.process = process;
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    /// <summary>The process id of Azurite's watchdog shell; Azurite itself is its child.</summary>
    public int ProcessId => process.Id;

    public static async Task<Azurite> SharedAsync()
    {
        await StartLock.WaitAsync();
        try
        {
            return shared ??= await StartAsync();
        }
        finally
        {
            StartLock.Release();
        }
    }

    /// <param name="requestLog">When set, Azurite writes there one line per storage request it receives (see azurite-request-log.cjs).</param>
    public static async Task<Azurite> StartAsync(string? requestLog = null)
    {
        string azurite = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed ({azurite} is missing): run `npm ci` at the repository root, or scripts/test.sh.");
        }

        int blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
        List<string> arguments =
        [
            // No telemetry: Azurite reports to a collector at start and shutdown, which offline only waits for a time-out.
            "--silent", "--disableTelemetry", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(), "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
        ];
        Dictionary<string, string> environment = [];
        if (requestLog is not null)
        {
            string hook = Path.Combine(RepositoryRoot.Path, "tests", "ChorusFunctions.Testing", "azurite-request-log.cjs");
            environment["NODE_OPTIONS"] = $"--require \"{hook}\"";
            environment["CHORUS_AZURITE_REQUEST_LOG"] = requestLog;
            environment["CHORUS_AZURITE_SERVICES"] = $$"""{"{{blob}}":"Blob","{{queue}}":"Queue","{{table}}":"Table"}""";
        }

        ChildProcess process = ChildProcess.Start(azurite, arguments, RepositoryRoot.Path, environment);
        foreach (int port in new[] { blob, queue, table })
        {
            await FreePort.WaitUntilOpenAsync(port, "Azurite", TimeSpan.FromSeconds(60), () => process.Output);
        }

        return new Azurite(process, blob, queue, table);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}

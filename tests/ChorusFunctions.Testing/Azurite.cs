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

    /// <param name="debugLog">When set, Azurite writes its debug log (one entry per storage request, among others) there.</param>
    public static async Task<Azurite> StartAsync(string? debugLog = null)
    {
        string azurite = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed ({azurite} is missing): run `npm ci` at the repository root, or scripts/test.sh.");
        }

        int blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
        List<string> arguments =
        [
            "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(), "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
        ];
        if (debugLog is not null)
        {
            arguments.AddRange(["--debug", debugLog]);
        }

        ChildProcess process = ChildProcess.Start(azurite, arguments, RepositoryRoot.Path);
        foreach (int port in new[] { blob, queue, table })
        {
            await FreePort.WaitUntilOpenAsync(port, "Azurite", TimeSpan.FromSeconds(60), () => process.Output);
        }

        return new Azurite(process, blob, queue, table);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}

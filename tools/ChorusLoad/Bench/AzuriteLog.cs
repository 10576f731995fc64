using System.Diagnostics;
using System.Globalization;
using ChorusLoad.Stack;

namespace ChorusLoad.Bench;

/// <summary>One storage request as Azurite's request log shows it.</summary>
/// <param name="Resource">"table Signups", "queue {hub}-control-00", "blob {hub}-leases"…</param>
/// <param name="Path">The URL's path and query, as sent.</param>
public sealed record StorageRequest(DateTime At, string Resource, string Method, string Path);

/// <summary>
/// Counts storage requests from Azurite's request log (one line per request, see <c>azurite-request-log.cjs</c>), read
/// from a named pipe so that a long run writes nothing to disk. Requests of the driver itself (its User-Agent starts with
/// <see cref="LoadStack.DriverApplicationId"/>) are left out.
/// </summary>
public sealed class AzuriteLog : IAsyncDisposable
{
    readonly List<StorageRequest> requests = [];
    readonly Task reading;
    string? taskHub;

    AzuriteLog(string path)
    {
        Path = path;
        reading = Task.Factory.StartNew(Read, TaskCreationOptions.LongRunning);
    }

    public string Path { get; }

    public int Malformed { get; private set; }

    /// <summary>Makes a named pipe for Azurite to write its request log into, and starts reading it.</summary>
    public static AzuriteLog Open()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"chorusload-azurite-{Guid.NewGuid():N}.log");
        using Process mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("mkfifo did not start");
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0)
        {
            throw new InvalidOperationException($"mkfifo {path} failed ({mkfifo.ExitCode})");
        }

        return new AzuriteLog(path);
    }

    /// <summary>Names of the task hub's queues, tables and containers are shown as <c>{hub}</c>.</summary>
    public void UseTaskHub(string name) => taskHub = name;

    public IReadOnlyList<StorageRequest> Between(DateTime from, DateTime to)
    {
        lock (requests)
        {
            return [.. requests.Where(r => r.At >= from && r.At < to)];
        }
    }

    public int Count
    {
        get
        {
            lock (requests)
            {
                return requests.Count;
            }
        }
    }

    void Read()
    {
        // Opening a pipe for reading blocks until Azurite opens it for writing.
        using var reader = new StreamReader(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16));
        while (reader.ReadLine() is { } line)
        {
            // time, service, method, path, User-Agent
            string[] fields = line.Split('\t');
            if (fields.Length != 5 || !DateTime.TryParse(fields[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out DateTime at))
            {
                Malformed++;
                continue;
            }

            if (fields[4].StartsWith(LoadStack.DriverApplicationId, StringComparison.Ordinal))
            {
                continue;
            }

            string resource = Resource(fields[1], fields[3]);
            lock (requests)
            {
                requests.Add(new StorageRequest(at, resource, fields[2], fields[3]));
            }
        }
    }

    string Resource(string service, string path)
    {
        // Path: /devstoreaccount1/<name>[(keys)|/messages|/blob][?query]
        string rest = path.StartsWith("/devstoreaccount1/", StringComparison.Ordinal) ? path["/devstoreaccount1/".Length..] : path.TrimStart('/');
        int end = rest.IndexOfAny(['(', '/', '?']);
        string name = Uri.UnescapeDataString(end < 0 ? rest : rest[..end]);
        if (taskHub is { } hub)
        {
            name = name.Replace(hub, "{hub}", StringComparison.OrdinalIgnoreCase);
        }

        return $"{service.ToLowerInvariant()} {(name.Length == 0 ? "(account)" : name)}";
    }

    public async ValueTask DisposeAsync()
    {
        // Azurite has been stopped by then: the pipe's writer is gone and the reader sees its end.
        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5)));
        File.Delete(Path);
    }
}

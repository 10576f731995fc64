using System.Net;
using System.Net.Sockets;

namespace ChorusFunctions.Testing;

public static class FreePort
{
    static readonly HashSet<int> Given = [];

    /// <summary>The first port of the kernel's ephemeral range (net.ipv4.ip_local_port_range).</summary>
    static readonly int EphemeralLow = ReadEphemeralLow();

    /// <summary>
    /// A port nothing listens on, from below the kernel's ephemeral range: a port the kernel handed out (port 0) is free
    /// only until an outgoing connection takes it as its own, which happened to a host started after a storage probe.
    /// Never the same port twice in a process; the bind check catches other processes' listeners.
    /// </summary>
    public static int Next()
    {
        int low = Math.Max(EphemeralLow - 16_384, 1_024), high = EphemeralLow;
        lock (Given)
        {
            for (int attempt = 0; attempt < 1_000; attempt++)
            {
                int port = Random.Shared.Next(low, high);
                if (!Given.Contains(port) && CanBind(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free port found in {low}–{high - 1}.");
    }

    static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    static int ReadEphemeralLow()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out int low)
            ? low
            : 32_768;
    }

    public static async Task WaitUntilOpenAsync(int port, string what, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"{what} did not open port {port} within {timeout}. {diagnostics?.Invoke()}", ex);
            }
        }
    }
}

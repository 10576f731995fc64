using System.Net;
using System.Net.Sockets;

namespace ChorusFunctions.Testing;

public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

using System.Diagnostics;
using System.Text;

namespace ChorusFunctions.Testing;

/// <summary>A background process started for tests, killed (with its children) when disposed or when the test run exits.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();

    ChildProcess(Process process)
    {
        this.process = process;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    /// <summary>The watchdog shell's process id; the started program is its child.</summary>
    public int Id => process.Id;

    const string Watchdog = """
        "$@" &
        child=$!
        trap 'kill "$child" 2>/dev/null' EXIT INT TERM
        while kill -0 "$CHORUS_TEST_PARENT_PID" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
        """;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        // The test host may exit without running ProcessExit handlers (the runner ends it), so the child is started
        // under a small watchdog that ends it as soon as this process is gone, whatever way it went.
        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Watchdog);
        info.ArgumentList.Add("chorus-test-child");
        info.ArgumentList.Add(fileName);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["CHORUS_TEST_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start {fileName}: {ex.Message}. Run scripts/test.sh, which installs the test prerequisites.", ex);
        }

        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < 200_000)
            {
                output.AppendLine(line);
            }
        }
    }

    void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        process.Dispose();
    }
}

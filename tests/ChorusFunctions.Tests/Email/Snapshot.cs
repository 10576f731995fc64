using System.Runtime.CompilerServices;
using System.Text;
using Xunit.Sdk;

namespace ChorusFunctions.Tests.Email;

/// <summary>
/// Compares a rendering with its committed snapshot (<c>Email/Snapshots/{name}.snap</c>). On a difference the test
/// fails with a line diff and the new rendering is written next to the test binaries; <c>UPDATE_SNAPSHOTS=1</c>
/// rewrites the committed files instead (then review them with git diff).
/// </summary>
internal static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string callerFile = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        string path = Path.Combine(directory, name + ".snap");
        actual = actual.ReplaceLineEndings("\n");

        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, actual, new UTF8Encoding(false));
            return;
        }

        string? expected = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : null;
        if (expected == actual)
        {
            return;
        }

        string received = Path.Combine(AppContext.BaseDirectory, "received-snapshots", name + ".snap");
        Directory.CreateDirectory(Path.GetDirectoryName(received)!);
        File.WriteAllText(received, actual, new UTF8Encoding(false));
        throw new XunitException(expected is null
            ? $"No snapshot {path} yet. The rendering is in {received}; run with UPDATE_SNAPSHOTS=1 to accept it."
            : $"Rendering of {name} differs from {path} (- snapshot, + now; full rendering in {received}):\n{Diff(expected, actual)}");
    }

    /// <summary>A unified-style line diff (longest common subsequence) with two lines of context.</summary>
    internal static string Diff(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        int[,] lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<(char Kind, int Line, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', x + 1, a[x]));
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                lines.Add(('+', y + 1, b[y++]));
            }
            else
            {
                lines.Add(('-', x + 1, a[x++]));
            }
        }

        var output = new StringBuilder();
        for (int k = 0; k < lines.Count; k++)
        {
            bool near = false;
            for (int d = -2; d <= 2 && !near; d++)
            {
                near = k + d >= 0 && k + d < lines.Count && lines[k + d].Kind != ' ';
            }

            if (near)
            {
                output.Append(lines[k].Kind).Append(' ').Append(lines[k].Line.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').Append(lines[k].Text).Append('\n');
            }
            else if (output.Length > 0 && !output.ToString().EndsWith("...\n", StringComparison.Ordinal))
            {
                output.Append("...\n");
            }
        }

        return output.ToString();
    }
}

using System.Globalization;

namespace ChorusLoad;

/// <summary>
/// The driver's settings: <c>--name value</c> flags win over environment variables (<c>FAULTS_*</c> for the fault
/// run, <c>BENCH_*</c> for the benchmark), which win over the defaults.
/// </summary>
public sealed class LoadOptions
{
    readonly Dictionary<string, string> flags;
    readonly string prefix;

    LoadOptions(string command, Dictionary<string, string> flags)
    {
        Command = command;
        this.flags = flags;
        prefix = command.ToUpperInvariant() + "_";
    }

    public string Command { get; }

    public static LoadOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("faults" or "bench"))
        {
            throw new ArgumentException("usage: ChorusLoad faults|bench [--signups N] [--concurrency C] [--kills K] [--hosts H] ...");
        }

        var flags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value, got '{args[i]}'.");
            }

            flags[args[i][2..]] = args[++i];
        }

        return new LoadOptions(args[0], flags);
    }

    /// <summary>The value of flag <c>--some-name</c> or variable <c>PREFIX_SOME_NAME</c>.</summary>
    public string? Get(string name) =>
        flags.TryGetValue(name, out string? flag) ? flag
        : Environment.GetEnvironmentVariable(prefix + name.Replace('-', '_').ToUpperInvariant()) is { Length: > 0 } variable ? variable
        : null;

    public int Int(string name, int fallback) =>
        Get(name) is { } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        Get(name) is { } text ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    public string String(string name, string fallback) => Get(name) ?? fallback;

    public TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(Double(name, fallback));

    public bool Bool(string name, bool fallback) =>
        Get(name) is { } text ? text is "1" or "true" or "yes" : fallback;
}

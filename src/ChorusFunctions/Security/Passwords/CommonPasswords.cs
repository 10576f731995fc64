using System.Reflection;

namespace ChorusFunctions.Security.Passwords;

/// <summary>The 10,000 most common passwords (SecLists <c>10k-most-common.txt</c>, MIT licence, embedded), compared case-insensitively.</summary>
public static class CommonPasswords
{
    public const string ResourceName = "ChorusFunctions.Security.common-passwords-10k.txt";

    static readonly Lazy<FrozenSet<string>> List = new(Load);

    public static int Count => List.Value.Count;

    public static bool Contains(string password) =>
        password.Length <= 64 && List.Value.Contains(UnicodeText.Normalize(password));

    static FrozenSet<string> Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}

namespace ChorusFunctions.Testing;

/// <summary>Finds the repository's root (where package.json and the tool manifest live) from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ChorusFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ChorusFunctions.sln above {AppContext.BaseDirectory}.");
    }
}

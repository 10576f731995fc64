using System.Collections.Concurrent;

namespace ChorusFunctions.Storage;

/// <summary>
/// The rows one call (an HTTP request, an activity) read or wrote, so it reads each row once. Safe: every update is
/// ETag-conditional, so an overtaken snapshot costs one retry (a refused write forgets the row); callers get copies.
/// Outside a scope (the cleanup, tests calling services directly) every read goes to storage.
/// </summary>
public static class ReadOnce
{
    static readonly AsyncLocal<ConcurrentDictionary<(string Table, string Partition, string Row), TableRow>?> Rows = new();

    /// <summary>Opens the call's scope; rows of an enclosing scope are not seen.</summary>
    public static Scope Begin()
    {
        Rows.Value = new();
        return new Scope(opened: true);
    }

    /// <summary>Opens a scope unless the call is in one: a request that runs a signup's turn itself shares the rows it read and wrote.</summary>
    public static Scope Join()
    {
        if (Rows.Value is not null)
        {
            return new Scope(opened: false);
        }

        Rows.Value = new();
        return new Scope(opened: true);
    }

    internal static ITableEntity? Find(string table, string partition, string row) =>
        Rows.Value?.TryGetValue((table, partition, row), out TableRow? known) == true ? known.Copy() : null;

    /// <summary>The row as stored now, read or written by this call; null: unknown again.</summary>
    internal static void Keep(string table, string partition, string row, ITableEntity? stored)
    {
        if (Rows.Value is { } rows && stored is TableRow known)
        {
            rows[(table, partition, row)] = known.Copy();
        }
        else
        {
            Rows.Value?.TryRemove((table, partition, row), out _);
        }
    }

    /// <summary>Forgets every row of the table (after a transaction, which names its rows only in its actions).</summary>
    internal static void Forget(string table)
    {
        foreach ((string, string, string) key in Rows.Value?.Keys.Where(k => k.Table == table) ?? [])
        {
            Rows.Value!.TryRemove(key, out _);
        }
    }

    public readonly struct Scope(bool opened) : IDisposable
    {
        public void Dispose()
        {
            if (opened)
            {
                Rows.Value = null;
            }
        }
    }
}

using System.Collections.Concurrent;

namespace ChorusFunctions.Storage;

/// <summary>
/// The rows one call (an HTTP request, an activity) has read or written through a <see cref="TableStore"/>, so that
/// it reads each row once: a later read in the same call gets the same snapshot, and a read-modify-write starts from
/// it. Nothing can be lost by it: every update is ETag-conditional, so a snapshot another writer overtook costs one
/// retry on fresh data (a refused write forgets the row). Callers get copies, so nothing a caller changes on a row it
/// holds reaches the snapshot. Outside a call's scope (the cleanup, tests calling services directly) every read goes
/// to storage.
/// </summary>
public static class ReadOnce
{
    static readonly AsyncLocal<ConcurrentDictionary<(string Table, string Partition, string Row), TableRow>?> Rows = new();

    /// <summary>Opens the call's scope; rows of an enclosing scope are not seen.</summary>
    public static Scope Begin()
    {
        Rows.Value = new();
        return default;
    }

    internal static ITableEntity? Find(string table, string partition, string row) =>
        Rows.Value?.TryGetValue((table, partition, row), out TableRow? known) == true ? known.Copy() : null;

    /// <summary>The row as stored now, read or written by this call; null: unknown again.</summary>
    internal static void Keep(string table, string partition, string row, ITableEntity? stored)
    {
        if (Rows.Value is not { } rows)
        {
            return;
        }

        if (stored is TableRow known)
        {
            rows[(table, partition, row)] = known.Copy();
        }
        else
        {
            rows.TryRemove((table, partition, row), out _);
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

    public readonly struct Scope : IDisposable
    {
        public void Dispose() => Rows.Value = null;
    }
}

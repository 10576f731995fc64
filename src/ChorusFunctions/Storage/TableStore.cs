namespace ChorusFunctions.Storage;

/// <summary>The key and concurrency columns every row has; each entity adds its own.</summary>
public abstract class TableRow : ITableEntity
{
    public required string PartitionKey { get; set; }

    /// <summary>Entities with one row per partition give it a constant; the others make it required.</summary>
    public abstract string RowKey { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>A shallow copy: rows hold only scalar columns.</summary>
    internal TableRow Copy() => (TableRow)MemberwiseClone();
}

/// <summary>What an ETag-conditional write did.</summary>
public enum Write
{
    Applied,

    /// <summary>Another writer changed the row first.</summary>
    Conflict,

    /// <summary>The row is gone.</summary>
    Missing,
}

/// <summary>The row after a read-modify-write (null: there is none), and whether this call changed it.</summary>
public readonly record struct Change<T>(T? Row, bool Applied)
    where T : class;

/// <summary>The stores' table operations: 404, 409 and 412 are answers here, not errors; any other failure is thrown.</summary>
public abstract class TableStore(TableClients tables, string tableName)
{
    protected TableClient Table { get; } = tables.Get(tableName);

    /// <summary>The row, read once per call (see <see cref="ReadOnce"/>) unless only some columns are asked for.</summary>
    protected async Task<T?> FindAsync<T>(string partitionKey, string rowKey, CancellationToken cancellationToken, IEnumerable<string>? select = null)
        where T : class, ITableEntity
    {
        if (select is null && ReadOnce.Find(Table.Name, partitionKey, rowKey) is T known)
        {
            return known;
        }

        NullableResponse<T> response = await Table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, select, cancellationToken);
        T? row = response.HasValue ? response.Value : null;
        if (select is null)
        {
            ReadOnce.Keep(Table.Name, partitionKey, rowKey, row);
        }

        return row;
    }

    /// <summary>False when the row exists already. On success the row carries its new ETag.</summary>
    protected async Task<bool> InsertAsync(ITableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            Response response = await Table.AddEntityAsync(row, cancellationToken);
            row.ETag = response.Headers.ETag ?? row.ETag;
            ReadOnce.Keep(Table.Name, row.PartitionKey, row.RowKey, row);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            ReadOnce.Keep(Table.Name, row.PartitionKey, row.RowKey, null);
            return false;
        }
    }

    /// <summary>Replaces the row if it still has <paramref name="row"/>'s ETag (<see cref="ETag.All"/>: whatever it has).</summary>
    protected async Task<Write> ReplaceAsync(ITableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            Response response = await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? row.ETag;
            ReadOnce.Keep(Table.Name, row.PartitionKey, row.RowKey, row);
            return Write.Applied;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            ReadOnce.Keep(Table.Name, row.PartitionKey, row.RowKey, null);
            return ex.Status == 404 ? Write.Missing : Write.Conflict;
        }
    }

    /// <summary>A change that must not be lost: when the row changed meanwhile, the caller (an activity) fails and its retry reads again.</summary>
    protected async Task ReplaceOrThrowAsync(ITableEntity row, CancellationToken cancellationToken)
    {
        if (await ReplaceAsync(row, cancellationToken) != Write.Applied)
        {
            throw new InvalidOperationException($"Row {row.PartitionKey}/{row.RowKey} of {Table.Name} changed meanwhile.");
        }
    }

    /// <summary>Runs the actions in one transaction (one partition); false when a row was there already, gone or changed.</summary>
    protected async Task<bool> SubmitAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        ReadOnce.Forget(Table.Name);
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Insert or replace, for rows a retry writes again the same.</summary>
    protected Task UpsertAsync(ITableEntity row, CancellationToken cancellationToken)
    {
        ReadOnce.Keep(Table.Name, row.PartitionKey, row.RowKey, null);
        return Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Deletes the row if it still has <paramref name="etag"/>; false when it was gone or changed meanwhile.</summary>
    protected async Task<bool> DeleteAsync(string partitionKey, string rowKey, ETag etag, CancellationToken cancellationToken)
    {
        ReadOnce.Keep(Table.Name, partitionKey, rowKey, null);
        try
        {
            // The SDK answers a missing row with its 404 response rather than an exception.
            Response response = await Table.DeleteEntityAsync(partitionKey, rowKey, etag, cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Optimistic read-modify-write: <paramref name="apply"/> false leaves the row as is; a lost race reads again and reapplies.</summary>
    protected async Task<Change<T>> MutateAsync<T>(string partitionKey, string rowKey, Func<T, bool> apply, CancellationToken cancellationToken, int maxAttempts = 50)
        where T : class, ITableEntity
    {
        for (int attempt = 1; attempt <= maxAttempts; attempt++)
        {
            T? row = await FindAsync<T>(partitionKey, rowKey, cancellationToken);
            if (row is null || !apply(row))
            {
                return new Change<T>(row, false);
            }

            if (await ReplaceAsync(row, cancellationToken) == Write.Applied)
            {
                return new Change<T>(row, true);
            }
        }

        throw new InvalidOperationException($"Row {partitionKey}/{rowKey} of {Table.Name} kept changing during {maxAttempts} attempts.");
    }

    /// <summary>Deletes up to <paramref name="max"/> rows the filter finds, each only if unchanged since read (cleanup).</summary>
    protected async Task<int> DeleteWhereAsync(string filter, int max, CancellationToken cancellationToken)
    {
        int deleted = 0;
        await foreach (TableEntity row in Table.QueryAsync<TableEntity>(filter, maxPerPage: 100, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await DeleteAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
            if (++deleted >= max)
            {
                break;
            }
        }

        return deleted;
    }
}

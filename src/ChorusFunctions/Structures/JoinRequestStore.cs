using ChorusFunctions.Storage;

namespace ChorusFunctions.Structures;

public sealed class JoinRequestStore(TableClients tables) : TableStore(tables, TableNames.JoinRequests)
{
    public Task<JoinRequestEntity?> GetAsync(string requestId, CancellationToken cancellationToken) =>
        FindAsync<JoinRequestEntity>(requestId, JoinRequestEntity.Row, cancellationToken);

    public Task<JoinRequestTokenEntity?> GetTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        FindAsync<JoinRequestTokenEntity>(tokenHash, JoinRequestTokenEntity.Row, cancellationToken);

    /// <summary>Files the request with its link; a retried activity finds it already there and keeps the first one.</summary>
    public async Task<JoinRequestEntity> CreateAsync(JoinRequestEntity request, CancellationToken cancellationToken)
    {
        await SaveTokenAsync(new JoinRequestTokenEntity { PartitionKey = request.TokenHash, RequestId = request.RequestId, ExpiresAt = request.ExpiresAt }, cancellationToken);
        return await InsertAsync(request, cancellationToken) ? request : (await GetAsync(request.RequestId, cancellationToken))!;
    }

    /// <summary>Stores a link row (a retried send writes the same one).</summary>
    public Task SaveTokenAsync(JoinRequestTokenEntity link, CancellationToken cancellationToken) => UpsertAsync(link, cancellationToken);

    /// <summary>
    /// Moves a pending request to <paramref name="target"/> by compare-and-swap. Returns the status it has afterwards:
    /// <paramref name="target"/> when this call won, the winner's otherwise (null when there is no such request).
    /// </summary>
    public async Task<JoinRequestStatus?> TryDecideAsync(string requestId, JoinRequestStatus target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Change<JoinRequestEntity> change = await MutateAsync<JoinRequestEntity>(requestId, JoinRequestEntity.Row, request =>
        {
            if (request.Status != JoinRequestStatus.Pending)
            {
                return false;
            }

            request.Status = target;
            request.DecidedAt = now;
            return true;
        }, cancellationToken);
        return change.Row?.Status;
    }

    public async Task MarkCompletedAsync(JoinRequestEntity request, CancellationToken cancellationToken)
    {
        request.Completed = true;
        request.ETag = ETag.All;
        await ReplaceAsync(request, cancellationToken);
    }

    public Task DeleteTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        DeleteAsync(tokenHash, JoinRequestTokenEntity.Row, ETag.All, cancellationToken);
}

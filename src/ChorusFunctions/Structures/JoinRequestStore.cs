using ChorusFunctions.Cleanup;
using ChorusFunctions.Storage;

namespace ChorusFunctions.Structures;

/// <summary>Joining requests and the links pointing at them; every link's expiry is indexed, so the cleanup deletes it.</summary>
public sealed class JoinRequestStore(TableClients tables, ExpiryIndex expiryIndex) : TableStore(tables, TableNames.JoinRequests)
{
    public Task<JoinRequestEntity?> GetAsync(string requestId, CancellationToken cancellationToken) =>
        FindAsync<JoinRequestEntity>(requestId, JoinRequestEntity.Row, cancellationToken);

    public Task<JoinRequestTokenEntity?> GetTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        FindAsync<JoinRequestTokenEntity>(tokenHash, JoinRequestTokenEntity.Row, cancellationToken);

    /// <summary>Files the request with its link; a retried activity finds it already there and keeps the first one.</summary>
    public async Task<JoinRequestEntity> CreateAsync(JoinRequestEntity request, CancellationToken cancellationToken)
    {
        await UpsertAsync(new JoinRequestTokenEntity { PartitionKey = request.TokenHash, RequestId = request.RequestId, ExpiresAt = request.ExpiresAt }, cancellationToken);
        JoinRequestEntity filed = await InsertAsync(request, cancellationToken) ? request : (await GetAsync(request.RequestId, cancellationToken))!;
        await expiryIndex.AddAsync(ExpiryKind.JoinRequestToken, filed.TokenHash, filed.ExpiresAt, cancellationToken);
        return filed;
    }

    /// <summary>Stores a link row (a retried send writes the same one); returns <paramref name="expiresAt"/>.</summary>
    public async Task<DateTimeOffset> SaveLinkAsync(string tokenHash, string requestId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await UpsertAsync(new JoinRequestTokenEntity { PartitionKey = tokenHash, RequestId = requestId, ExpiresAt = expiresAt }, cancellationToken);
        await expiryIndex.AddAsync(ExpiryKind.JoinRequestToken, tokenHash, expiresAt, cancellationToken);
        return expiresAt;
    }

    /// <summary>
    /// Moves a pending request to <paramref name="target"/> by compare-and-swap. Returns the status it has afterwards:
    /// <paramref name="target"/> when this call won, the winner's otherwise (null when there is no such request).
    /// </summary>
    public async Task<JoinRequestStatus?> TryDecideAsync(string requestId, JoinRequestStatus target, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await MutateAsync<JoinRequestEntity>(requestId, JoinRequestEntity.Row, request =>
        {
            bool pending = request.Status == JoinRequestStatus.Pending;
            if (pending)
            {
                (request.Status, request.DecidedAt) = (target, now);
            }

            return pending;
        }, cancellationToken)).Row?.Status;

    public async Task MarkCompletedAsync(JoinRequestEntity request, CancellationToken cancellationToken)
    {
        request.Completed = true;
        request.ETag = ETag.All;
        await ReplaceAsync(request, cancellationToken);
    }

    public Task DeleteTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        DeleteAsync(tokenHash, JoinRequestTokenEntity.Row, ETag.All, cancellationToken);
}

using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Storage;

namespace ChorusFunctions.Structures;

public sealed class JoinRequestStore(TableClients tables)
{
    readonly TableClient table = tables.Get(TableNames.JoinRequests);

    public async Task<JoinRequestEntity?> GetAsync(string requestId, CancellationToken cancellationToken)
    {
        NullableResponse<JoinRequestEntity> response =
            await table.GetEntityIfExistsAsync<JoinRequestEntity>(requestId, JoinRequestEntity.Row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async Task<JoinRequestTokenEntity?> GetTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        NullableResponse<JoinRequestTokenEntity> response =
            await table.GetEntityIfExistsAsync<JoinRequestTokenEntity>(tokenHash, JoinRequestTokenEntity.Row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Files the request with its link; a retried activity finds it already there and keeps the first one.</summary>
    public async Task<JoinRequestEntity> CreateAsync(JoinRequestEntity request, CancellationToken cancellationToken)
    {
        await table.UpsertEntityAsync(new JoinRequestTokenEntity { PartitionKey = request.TokenHash, RequestId = request.RequestId, ExpiresAt = request.ExpiresAt },
            TableUpdateMode.Replace, cancellationToken);
        try
        {
            await table.AddEntityAsync(request, cancellationToken);
            return request;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return (await GetAsync(request.RequestId, cancellationToken))!;
        }
    }

    /// <summary>Stores a link row (a retried send writes the same one).</summary>
    public Task SaveTokenAsync(JoinRequestTokenEntity link, CancellationToken cancellationToken) =>
        table.UpsertEntityAsync(link, TableUpdateMode.Replace, cancellationToken);

    /// <summary>
    /// Moves a pending request to <paramref name="target"/> by compare-and-swap. Returns the status it has afterwards:
    /// <paramref name="target"/> when this call won, the winner's otherwise (null when there is no such request).
    /// </summary>
    public async Task<JoinRequestStatus?> TryDecideAsync(string requestId, JoinRequestStatus target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (true)
        {
            JoinRequestEntity? request = await GetAsync(requestId, cancellationToken);
            if (request is null)
            {
                return null;
            }

            if (request.GetStatus() != JoinRequestStatus.Pending)
            {
                return request.GetStatus();
            }

            request.Status = target.ToString();
            request.DecidedAt = now;
            try
            {
                await table.UpdateEntityAsync(request, request.ETag, TableUpdateMode.Replace, cancellationToken);
                return target;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Lost the race: read the winner's decision.
            }
        }
    }

    public async Task MarkCompletedAsync(JoinRequestEntity request, CancellationToken cancellationToken)
    {
        request.Completed = true;
        try
        {
            await table.UpdateEntityAsync(request, ETag.All, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    public async Task DeleteTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(tokenHash, JoinRequestTokenEntity.Row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }
}

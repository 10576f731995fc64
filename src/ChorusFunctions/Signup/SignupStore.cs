using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Storage;

namespace ChorusFunctions.Signup;

/// <summary>Reads and writes signup rows; every update is ETag-conditional. Writes come from <see cref="SignupStateMachine"/>.</summary>
public sealed class SignupStore(TableClients tables)
{
    const int MaxAttempts = 8;
    readonly TableClient table = tables.Get(TableNames.Signups);

    public async Task<SignupEntity?> GetAsync(string signupId, CancellationToken cancellationToken)
    {
        NullableResponse<SignupEntity> response =
            await table.GetEntityIfExistsAsync<SignupEntity>(signupId, SignupEntity.Row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>False when a row with this id exists already.</summary>
    internal async Task<bool> TryInsertAsync(SignupEntity signup, CancellationToken cancellationToken)
    {
        try
        {
            Response response = await table.AddEntityAsync(signup, cancellationToken);
            signup.ETag = response.Headers.ETag ?? signup.ETag;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Read-modify-write under optimistic concurrency. <paramref name="apply"/> returns false to leave the row as
    /// it is; on a lost race the row is read again and <paramref name="apply"/> runs again on fresh data.
    /// </summary>
    internal async Task<Transition> MutateAsync(string signupId, Func<SignupEntity, bool> apply, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            SignupEntity? signup = await GetAsync(signupId, cancellationToken);
            if (signup is null || !apply(signup))
            {
                return new Transition(signup, false);
            }

            try
            {
                Response response = await table.UpdateEntityAsync(signup, signup.ETag, TableUpdateMode.Replace, cancellationToken);
                signup.ETag = response.Headers.ETag ?? signup.ETag;
                return new Transition(signup, true);
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < MaxAttempts)
            {
                // Another actor changed the row first: apply again on what it wrote.
            }
        }
    }
}

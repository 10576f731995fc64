using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Storage;

namespace ChorusFunctions.Accounts;

/// <summary>Reads and writes account rows; writes come from <see cref="Signup.SignupStateMachine"/>.</summary>
public sealed class AccountStore(TableClients tables)
{
    readonly TableClient table = tables.Get(TableNames.Accounts);

    public async Task<AccountEntity?> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        NullableResponse<AccountEntity> response =
            await table.GetEntityIfExistsAsync<AccountEntity>(accountId, AccountEntity.Row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Inserts the account; when one exists already (a retry, or an expiry that came first) returns that one.</summary>
    internal async Task<AccountEntity> CreateAsync(AccountEntity account, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(account, cancellationToken);
            return account;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return (await GetAsync(account.PartitionKey, cancellationToken))!;
        }
    }

    /// <summary>Applies <paramref name="apply"/> with a compare-and-swap, while it says there is something to change.</summary>
    internal async Task MutateAsync(string accountId, Func<AccountEntity, bool> apply, CancellationToken cancellationToken)
    {
        while (await GetAsync(accountId, cancellationToken) is { } account && apply(account))
        {
            try
            {
                await table.UpdateEntityAsync(account, account.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
            }
        }
    }

    /// <summary>
    /// Moves a pending account to <paramref name="target"/> with a compare-and-swap. Returns the status the account
    /// has afterwards: <paramref name="target"/> when this call won, the winner's status otherwise (null: no account).
    /// </summary>
    internal async Task<AccountStatus?> TryLeavePendingAsync(string accountId, AccountStatus target, Action<AccountEntity> apply, CancellationToken cancellationToken)
    {
        while (true)
        {
            AccountEntity? account = await GetAsync(accountId, cancellationToken);
            if (account is null)
            {
                return null;
            }

            if (account.GetStatus() != AccountStatus.Pending)
            {
                return account.GetStatus();
            }

            account.Status = target.ToString();
            apply(account);
            try
            {
                await table.UpdateEntityAsync(account, account.ETag, TableUpdateMode.Replace, cancellationToken);
                return target;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Lost the race: read the winner's state.
            }
        }
    }
}

using ChorusFunctions.Storage;

namespace ChorusFunctions.Accounts;

/// <summary>Reads and writes account rows; writes come from <see cref="Signup.SignupStateMachine"/>.</summary>
public sealed class AccountStore(TableClients tables) : TableStore(tables, TableNames.Accounts)
{
    public Task<AccountEntity?> GetAsync(string accountId, CancellationToken cancellationToken) =>
        FindAsync<AccountEntity>(accountId, AccountEntity.Row, cancellationToken);

    /// <summary>Inserts the account; when one exists already (a retry, or an expiry that came first) returns that one.</summary>
    internal async Task<AccountEntity> CreateAsync(AccountEntity account, CancellationToken cancellationToken) =>
        await InsertAsync(account, cancellationToken) ? account : (await GetAsync(account.PartitionKey, cancellationToken))!;

    /// <summary>Applies <paramref name="apply"/> with a compare-and-swap, while it says there is something to change.</summary>
    internal Task<Change<AccountEntity>> MutateAsync(string accountId, Func<AccountEntity, bool> apply, CancellationToken cancellationToken) =>
        MutateAsync(accountId, AccountEntity.Row, apply, cancellationToken);

    /// <summary>Moves a pending account to <paramref name="target"/>; returns the status it ends with (the winner's; null: no account).</summary>
    internal async Task<AccountStatus?> TryLeavePendingAsync(string accountId, AccountStatus target, Action<AccountEntity> apply, CancellationToken cancellationToken) =>
        (await MutateAsync(accountId, account =>
        {
            if (account.Status != AccountStatus.Pending)
            {
                return false;
            }

            account.Status = target;
            apply(account);
            return true;
        }, cancellationToken)).Row?.Status;
}

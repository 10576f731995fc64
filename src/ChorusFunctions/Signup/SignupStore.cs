using ChorusFunctions.Storage;

namespace ChorusFunctions.Signup;

/// <summary>Reads and writes signup rows; every update is ETag-conditional. Writes come from <see cref="SignupStateMachine"/>.</summary>
public sealed class SignupStore(TableClients tables) : TableStore(tables, TableNames.Signups)
{
    const int MaxAttempts = 8;

    public Task<SignupEntity?> GetAsync(string signupId, CancellationToken cancellationToken) =>
        FindAsync<SignupEntity>(signupId, SignupEntity.Row, cancellationToken);

    /// <summary>False when a row with this id exists already.</summary>
    internal Task<bool> TryInsertAsync(SignupEntity signup, CancellationToken cancellationToken) => InsertAsync(signup, cancellationToken);

    /// <summary>
    /// Read-modify-write under optimistic concurrency. <paramref name="apply"/> returns false to leave the row as
    /// it is; on a lost race the row is read again and <paramref name="apply"/> runs again on fresh data.
    /// </summary>
    internal Task<Transition> MutateAsync(string signupId, Func<SignupEntity, bool> apply, CancellationToken cancellationToken) =>
        MutateAsync(signupId, SignupEntity.Row, apply, cancellationToken, MaxAttempts);
}

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

    /// <summary><paramref name="apply"/> changes the row only while <paramref name="allowed"/> holds; a lost race runs both again on fresh data.</summary>
    internal Task<Transition> MutateAsync(string signupId, Func<SignupEntity, bool> allowed, Action<SignupEntity> apply, CancellationToken cancellationToken) =>
        MutateAsync<SignupEntity>(signupId, SignupEntity.Row, row =>
        {
            if (!allowed(row))
            {
                return false;
            }

            apply(row);
            return true;
        }, cancellationToken, MaxAttempts);
}

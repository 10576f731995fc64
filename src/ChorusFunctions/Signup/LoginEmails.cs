using ChorusFunctions.Accounts;

namespace ChorusFunctions.Signup;

/// <summary>Who holds a login email: an account, or a signup until it ends; a reservation of an ended or absent signup is taken over.</summary>
public sealed class LoginEmails(
    EmailReservationStore reservations,
    SignupStore signups,
    AccountStore accounts,
    IOptions<SecurityOptions> enumeration,
    ILogger<LoginEmails> logger)
{
    /// <summary>A reservation whose signup row never appeared (a crash in between) is stale after this.</summary>
    static readonly TimeSpan OrphanReservationAge = TimeSpan.FromMinutes(2);

    /// <summary>Under enumeration protection a held address is no refusal: the signup goes on as a <see cref="SignupEntity.Duplicate"/>.</summary>
    public bool RefuseTaken => !enumeration.Value.EnumerationProtection;

    public static ApiProblem Taken() => ApiProblem.Of(409, ErrorCodes.EmailTaken, "Adresse déjà utilisée",
        "Cette adresse électronique est déjà utilisée par un compte ou par une inscription en cours.")
        with { Errors = new Dictionary<string, string[]> { ["loginEmail"] = ["Cette adresse électronique est déjà utilisée."] } };

    /// <summary>Whether anyone (an account, a signup, a stale reservation) holds the address.</summary>
    public async Task<bool> IsHeldAsync(string email, CancellationToken cancellationToken) =>
        await reservations.GetAsync(email, cancellationToken) is not null;

    public async Task<bool> TryReserveAsync(string email, string signupId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            EmailReservationEntity? holder = await reservations.TryReserveAsync(email, signupId, now, cancellationToken);
            if (holder is null || holder.SignupId == signupId)
            {
                return true;
            }

            if (!await IsStaleAsync(holder, now, cancellationToken))
            {
                return false;
            }

            if (await reservations.TryTakeOverAsync(holder, signupId, now, cancellationToken))
            {
                logger.ReservationTakenOver(signupId, holder.SignupId);
                return true;
            }
        }

        return false;
    }

    /// <summary>The email is held by an account or by another signup still alive (nothing is reserved by asking).</summary>
    public async Task<bool> IsTakenAsync(string email, string signupId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await reservations.GetAsync(email, cancellationToken) is { } holder && holder.SignupId != signupId
        && !await IsStaleAsync(holder, now, cancellationToken);

    /// <summary>
    /// Its signup ended (or never got a row), and no active account holds it: the account decides, even when the
    /// signup's row has not followed its activation yet.
    /// </summary>
    async Task<bool> IsStaleAsync(EmailReservationEntity holder, DateTimeOffset now, CancellationToken cancellationToken) =>
        holder.SignupId.Length == 0
        || ((await signups.GetAsync(holder.SignupId, cancellationToken) is { } previous
                ? SignupStateMachine.HasEnded(previous, now)
                : now - holder.ReservedAt > OrphanReservationAge)
            && await accounts.GetAsync(holder.SignupId, cancellationToken) is not { Status: AccountStatus.Active });
}

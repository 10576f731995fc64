using System.Globalization;
using Azure.Data.Tables;
using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Security.ProofOfWork;
using ChorusFunctions.Signup;
using ChorusFunctions.Storage;
using ChorusFunctions.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Security;

/// <summary>
/// The proof of work of step 1: what makes a solution valid (no storage), then single use and the retry with the
/// same Idempotency-Key on real tables (Azurite).
/// </summary>
public sealed class ProofOfWorkTests
{
    static readonly SecurityKeys Keys = KeysOf(LocalStack.TestTokenKey);
    static readonly ProofOfWorkOptions Options = new() { MaxNumber = 5_000 };
    static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    static SecurityKeys KeysOf(string tokenKey) =>
        new(Microsoft.Extensions.Options.Options.Create(new SecurityOptions { TokenKey = tokenKey }));

    /// <summary>Tries every number, independently of the service's own hash.</summary>
    static ProofOfWorkSolution Solve(ProofOfWorkChallenge challenge)
    {
        for (int n = 0; n <= challenge.MaxNumber; n++)
        {
            byte[] digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(challenge.Salt + n.ToString(CultureInfo.InvariantCulture)));
            if (Convert.ToHexStringLower(digest) == challenge.Challenge)
            {
                return new ProofOfWorkSolution(challenge.Algorithm, challenge.Challenge, challenge.Salt, n, challenge.Signature);
            }
        }

        throw new InvalidOperationException("no solution");
    }

    static ProofOfWorkVerdict Check(ProofOfWorkSolution? solution, DateTimeOffset? now = null, SecurityKeys? keys = null) =>
        ProofOfWorkService.Check(solution, now ?? Now, Options.MaxNumber, keys ?? Keys, out _);

    [Fact]
    public void A_challenge_carries_its_expiry_in_the_salt_and_its_solution_is_valid_until_then()
    {
        ProofOfWorkChallenge challenge = ProofOfWorkService.Issue(Options, Keys, Now);
        Assert.True(challenge.Required);
        Assert.Equal("SHA-256", challenge.Algorithm);
        Assert.Equal(Now + Options.Lifetime, challenge.ExpiresAt);
        Assert.Matches("^[0-9a-f]{32}\\?expires=" + (Now + Options.Lifetime).ToUnixTimeSeconds() + "$", challenge.Salt);
        Assert.Matches("^[0-9a-f]{64}$", challenge.Challenge);
        Assert.Matches("^[0-9a-f]{64}$", challenge.Signature);

        ProofOfWorkSolution solution = Solve(challenge);
        Assert.Equal(ProofOfWorkVerdict.Valid, ProofOfWorkService.Check(solution, Now, Options.MaxNumber, Keys, out DateTimeOffset expiresAt));
        Assert.Equal(challenge.ExpiresAt, expiresAt);
        Assert.Equal(ProofOfWorkVerdict.Valid, Check(solution, Now + Options.Lifetime - TimeSpan.FromSeconds(1)));
        Assert.Equal(ProofOfWorkVerdict.Expired, Check(solution, Now + Options.Lifetime));
    }

    [Fact]
    public void Secret_numbers_are_spread_over_the_whole_range()
    {
        long[] numbers = Enumerable.Range(0, 40).Select(_ => Solve(ProofOfWorkService.Issue(Options, Keys, Now)).Number!.Value).ToArray();
        Assert.All(numbers, n => Assert.InRange(n, 0, Options.MaxNumber));
        Assert.True(numbers.Distinct().Count() > 30, string.Join(", ", numbers));
        Assert.Contains(numbers, n => n > Options.MaxNumber / 2);
    }

    [Fact]
    public void A_wrong_number_a_later_expiry_a_changed_challenge_or_another_key_is_invalid()
    {
        ProofOfWorkChallenge challenge = ProofOfWorkService.Issue(Options, Keys, Now);
        ProofOfWorkSolution solution = Solve(challenge);
        string later = challenge.Salt![..challenge.Salt!.IndexOf('=', StringComparison.Ordinal)] + "=" + Now.AddDays(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        Assert.Equal(ProofOfWorkVerdict.Invalid, Check(solution with { Number = (solution.Number + 1) % (Options.MaxNumber + 1) }));
        // A longer life: the salt no longer hashes to the challenge; with the challenge recomputed, the signature fails.
        Assert.Equal(ProofOfWorkVerdict.Invalid, Check(solution with { Salt = later }));
        Assert.Equal(ProofOfWorkVerdict.Invalid, Check(solution with { Salt = later, Challenge = ProofOfWorkService.Hash(later, solution.Number!.Value) }));
        Assert.Equal(ProofOfWorkVerdict.Invalid, Check(solution with { Signature = new string('0', 64) }));
        Assert.Equal(ProofOfWorkVerdict.Invalid, Check(solution with { Algorithm = "sha-256" }));

        // A challenge signed with another key (another deployment, or a forger's own) is not ours, even solved.
        ProofOfWorkSolution foreign = Solve(ProofOfWorkService.Issue(Options, KeysOf(SecurityKeysTestKey), Now));
        Assert.Equal(ProofOfWorkVerdict.Invalid, Check(foreign));
        Assert.Equal(ProofOfWorkVerdict.Valid, Check(foreign, keys: KeysOf(SecurityKeysTestKey)));
    }

    const string SecurityKeysTestKey = "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktb3RoZXIta2V5LTAxMjM0NQ==";

    public static TheoryData<ProofOfWorkSolution?> Malformed => new()
    {
        null,
        new ProofOfWorkSolution(null, null, null, null, null),
        new ProofOfWorkSolution("SHA-1", new string('a', 64), new string('a', 32) + "?expires=1", 1, new string('a', 64)),
        new ProofOfWorkSolution("SHA-256", new string('a', 63), new string('a', 32) + "?expires=1", 1, new string('a', 64)),
        new ProofOfWorkSolution("SHA-256", new string('a', 64), new string('a', 31) + "?expires=1", 1, new string('a', 64)),
        new ProofOfWorkSolution("SHA-256", new string('a', 64), new string('a', 32) + "?expires=-1", 1, new string('a', 64)),
        new ProofOfWorkSolution("SHA-256", new string('a', 64), new string('a', 32) + "?expires=99999999999999999999", 1, new string('a', 64)),
        new ProofOfWorkSolution("SHA-256", new string('a', 64), new string('a', 32) + "?expires=1", -1, new string('a', 64)),
        new ProofOfWorkSolution("SHA-256", new string('a', 64), new string('a', 32) + "?expires=1", 5_001, new string('a', 64)),
        new ProofOfWorkSolution("SHA-256", new string('a', 64), new string('a', 32) + "?expires=1", 1, null),
        new ProofOfWorkSolution("SHA-256", new string('a', 64), new string('a', 32) + "?expires=1\n", 1, new string('a', 64)),
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_missing_or_malformed_solution_is_invalid(ProofOfWorkSolution? solution) =>
        Assert.Equal(ProofOfWorkVerdict.Invalid, Check(solution));

    [Fact]
    public void A_number_above_the_configured_maximum_is_invalid_even_if_it_hashes_right()
    {
        string salt = new string('c', 32) + "?expires=" + Now.AddMinutes(1).ToUnixTimeSeconds();
        string challenge = ProofOfWorkService.Hash(salt, Options.MaxNumber + 1);
        Assert.Equal(ProofOfWorkVerdict.Invalid, Check(new ProofOfWorkSolution("SHA-256", challenge, salt, Options.MaxNumber + 1, Keys.ProofOfWorkSignature(challenge))));
    }

    [Fact]
    public void The_defaults_are_valid_and_out_of_range_settings_are_not()
    {
        Assert.True(IsValid(new ProofOfWorkOptions()));
        Assert.Equal(60_000, new ProofOfWorkOptions().MaxNumber);
        Assert.Equal(TimeSpan.FromMinutes(2), new ProofOfWorkOptions().Lifetime);
        Assert.False(IsValid(new ProofOfWorkOptions { MaxNumber = 999 }));
        Assert.False(IsValid(new ProofOfWorkOptions { MaxNumber = 10_000_001 }));
        Assert.False(IsValid(new ProofOfWorkOptions { Lifetime = TimeSpan.FromSeconds(9) }));
        Assert.False(IsValid(new ProofOfWorkOptions { Lifetime = TimeSpan.FromMinutes(31) }));
    }

    static bool IsValid(ProofOfWorkOptions options) =>
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), null, validateAllProperties: true);

    static async Task<ProofOfWorkService> ServiceAsync(CaptchaProviderKind provider = CaptchaProviderKind.Image)
    {
        Azurite azurite = await Azurite.SharedAsync();
        var tables = new TableClients(new TableServiceClient(azurite.ConnectionString), Microsoft.Extensions.Options.Options.Create(new StorageOptions()));
        await tables.Get(TableNames.SecurityMarks).CreateIfNotExistsAsync();
        return new ProofOfWorkService(
            Microsoft.Extensions.Options.Options.Create(Options),
            Microsoft.Extensions.Options.Options.Create(new CaptchaOptions { Provider = provider }),
            Keys,
            new SecurityMarkStore(tables, TimeProvider.System),
            TimeProvider.System,
            NullLogger<ProofOfWorkService>.Instance);
    }

    [Fact]
    public async Task A_solution_is_taken_once_and_again_only_by_the_same_idempotency_key()
    {
        ProofOfWorkService service = await ServiceAsync();
        ProofOfWorkSolution once = Solve(service.Create());
        Assert.Null(await service.VerifyAsync(once, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.ProofOfWorkExpired, (await service.VerifyAsync(once, null, CancellationToken.None))?.Code);
        Assert.Equal(ErrorCodes.ProofOfWorkExpired, (await service.VerifyAsync(once, "a-key", CancellationToken.None))?.Code);

        ProofOfWorkSolution keyed = Solve(service.Create());
        string key = Guid.NewGuid().ToString();
        Assert.Null(await service.VerifyAsync(keyed, key, CancellationToken.None));
        Assert.Null(await service.VerifyAsync(keyed, key, CancellationToken.None));
        ApiProblem? other = await service.VerifyAsync(keyed, Guid.NewGuid().ToString(), CancellationToken.None);
        Assert.Equal(ErrorCodes.ProofOfWorkExpired, other?.Code);
        Assert.Equal(422, other!.Status);
        Assert.Equal(ErrorCodes.ProofOfWorkExpired, (await service.VerifyAsync(keyed, null, CancellationToken.None))?.Code);

        ApiProblem? missing = await service.VerifyAsync(null, key, CancellationToken.None);
        Assert.Equal(ErrorCodes.ProofOfWorkInvalid, missing?.Code);
        Assert.Equal(400, missing!.Status);
    }

    [Fact]
    public async Task Racing_copies_of_one_solution_get_one_acceptance()
    {
        ProofOfWorkService service = await ServiceAsync();
        ProofOfWorkSolution solution = Solve(service.Create());
        ApiProblem?[] answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => service.VerifyAsync(solution, null, CancellationToken.None)));
        Assert.Single(answers, a => a is null);
    }

    [Fact]
    public async Task With_the_captcha_off_nothing_is_asked_and_step_one_needs_no_solution()
    {
        ProofOfWorkService service = await ServiceAsync(CaptchaProviderKind.None);
        Assert.False(service.Required);
        Assert.Same(ProofOfWorkChallenge.NotRequired, service.Create());
        Assert.Null(await service.VerifyAsync(null, null, CancellationToken.None));
    }
}

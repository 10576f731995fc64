using ChorusFunctions.Activation;
using ChorusFunctions.Cleanup;
using ChorusFunctions.Security;
using ChorusFunctions.Signup;
using ChorusFunctions.Storage;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Rules;

public sealed class SecretsTests
{
    [Fact]
    public void Hash_verifies_the_same_secret_only()
    {
        string hash = SecretHasher.Hash("Jardin-Truffaut-2026", iterations: 1_000);
        Assert.StartsWith("pbkdf2-sha512$1000$", hash, StringComparison.Ordinal);
        Assert.True(SecretHasher.Verify("Jardin-Truffaut-2026", hash));
        Assert.False(SecretHasher.Verify("jardin-Truffaut-2026", hash));
        Assert.NotEqual(hash, SecretHasher.Hash("Jardin-Truffaut-2026", iterations: 1_000)); // salted
    }

    [Theory]
    [InlineData("Caf\u00e9-Jardin-2026", "Cafe\u0301-Jardin-2026")] // composed and decomposed accent
    [InlineData("Jardin-Truffaut-2026", "\uff2aardin-Truffaut-\uff12\uff10\uff12\uff16")] // full-width forms
    [InlineData("\ufb01nances-2026!", "finances-2026!")] // ligature
    public void A_password_has_one_hash_however_it_was_typed(string typed, string retyped)
    {
        string hash = SecretHasher.HashPassword(typed, iterations: 1_000);
        Assert.True(SecretHasher.VerifyPassword(retyped, hash));
        Assert.True(SecretHasher.Verify(SecretHasher.NormalizePassword(retyped), hash));
        Assert.False(SecretHasher.VerifyPassword(retyped + "x", hash));
    }

    [Fact]
    public void Password_normalisation_never_throws_on_ill_formed_text() =>
        Assert.Equal("a\ufffdb", SecretHasher.NormalizePassword("a\ud800b"));

    [Fact]
    public void Default_hash_uses_210000_iterations_and_other_schemes_do_not_verify()
    {
        Assert.Contains("$210000$", SecretHasher.Hash("x"), StringComparison.Ordinal);
        Assert.False(SecretHasher.Verify("x", "md5$1$abc$def"));
    }

    [Theory]
    [InlineData("  Élodie  ", "elodie")]
    [InlineData("CORBEIL   Essonnes", "corbeil essonnes")]
    [InlineData("Saint-Étienne", "saint-etienne")]
    [InlineData("ça", "ca")]
    public void Secret_answers_are_compared_loosely(string typed, string normalized) =>
        Assert.Equal(normalized, SecretHasher.NormalizeAnswer(typed));

    [Fact]
    public void Activation_tokens_are_256_bit_derived_and_stored_as_sha256()
    {
        var tokens = new ActivationTokens(Options.Create(new SecurityOptions { TokenKey = Testing.LocalStack.TestTokenKey }));
        string nonce = $"{Guid.NewGuid():N}:1";
        string token = tokens.Derive(nonce, "activation");
        Assert.Equal(43, token.Length); // 32 bytes, base64url without padding
        Assert.True(ActivationTokens.LooksValid(token));
        Assert.Equal(token, tokens.Derive(nonce, "activation")); // a retried send re-derives the same link
        Assert.NotEqual(token, tokens.Derive($"{Guid.NewGuid():N}:1", "activation"));
        Assert.NotEqual(token, tokens.Derive(nonce, "join"));
        string hash = ActivationTokens.Hash(token);
        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(token, hash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("W4HQapGV60oJTgsf2AhxcusaU9pDUiCtU_9X2zi6JO/")]
    [InlineData("W4HQapGV60oJTgsf2AhxcusaU9pDUiCtU_9X2zi6JO'")]
    [InlineData("W4HQapGV60oJTgsf2AhxcusaU9pDUiCtU_9X2zi6JOkk")]
    public void Malformed_tokens_are_rejected_before_any_lookup(string? token) => Assert.False(ActivationTokens.LooksValid(token));

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("c2hvcnQ=", false)] // 5 bytes
    [InlineData("not base64!", false)]
    [InlineData(Testing.LocalStack.TestTokenKey, true)]
    public void Token_key_must_be_32_bytes_or_more(string? key, bool valid) => Assert.Equal(valid, SecurityOptions.IsValidKey(key));

    [Fact]
    public void Table_keys_escape_forbidden_characters_reversibly_unique()
    {
        string[] values = ["a/b", "a\\b", "a#b", "a?b", "a%b", "a'b", "a\u0001b", "a%002Fb"];
        string[] keys = values.Select(TableKeys.Escape).ToArray();
        Assert.All(keys, k => Assert.DoesNotContain(k, c => c is '/' or '\\' or '#' or '?' or '\'' || char.IsControl(c)));
        Assert.Equal(values.Length, keys.Distinct().Count());
    }

    [Fact]
    public void Expiry_buckets_are_hours_in_utc_and_sort_in_time_order()
    {
        var time = new DateTimeOffset(2026, 11, 27, 10, 59, 59, TimeSpan.FromHours(1));
        Assert.Equal("2026112709", ExpiryIndex.BucketOf(time));
        Assert.True(string.CompareOrdinal(ExpiryIndex.BucketOf(time), ExpiryIndex.BucketOf(time.AddMinutes(1))) < 0);
        Assert.True(string.CompareOrdinal(ExpiryIndex.BucketOf(time.AddDays(40)), ExpiryIndex.BucketOf(time.AddYears(1))) < 0);
    }

    [Fact]
    public void Default_deadlines_follow_the_product_rules()
    {
        var options = new SignupOptions();
        Assert.Equal(TimeSpan.FromHours(1), options.StepDeadline);
        Assert.Equal(TimeSpan.FromDays(7), options.ActivationDeadline);
        Assert.Equal(TimeSpan.FromMinutes(60), options.ActivationLinkLifetime); // Chorus Pro's 60 minutes
        // Durable timers on Azure Storage are limited to 7 days per message (longer ones are split).
        Assert.True(options.ActivationDeadline <= TimeSpan.FromDays(7));
    }
}

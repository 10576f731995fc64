using System.Globalization;
using ChorusFunctions.Activation;
using ChorusFunctions.Email;
using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Security.Passwords;
using ChorusFunctions.Signup;
using ChorusFunctions.Storage;
using ChorusFunctions.Structures;
using ChorusFunctions.Workspaces;
using CsCheck;
using Microsoft.AspNetCore.Http;

namespace ChorusFunctions.Tests.Security;

/// <summary>
/// Every validator, fed random and adversarial strings: it never throws, and it never accepts what its rules
/// refuse (each property restates the rule independently of the code under test).
/// </summary>
public sealed class ValidatorPropertyTests
{
    const int Iterations = 3_000;

    static readonly Gen<string> Text = AdversarialInput.Text;

    [Fact]
    public void Email_validation_accepts_only_well_formed_addresses() =>
        Text.Sample(raw =>
        {
            string normalized = EmailAddress.Normalize(raw);
            if (!EmailAddress.IsValid(normalized))
            {
                return;
            }

            int at = normalized.IndexOf('@');
            Assert.InRange(normalized.Length, 3, EmailAddress.MaxLength);
            Assert.Equal(at, normalized.LastIndexOf('@'));
            Assert.InRange(at, 1, 64);
            Assert.DoesNotContain(normalized, c => char.IsControl(c) || char.IsWhiteSpace(c));
            Assert.Equal(normalized, normalized.ToLowerInvariant());
            Assert.Contains('.', normalized[at..]);
            Assert.Equal(normalized[..at], EmailAddress.LocalPart(normalized));
        }, iter: Iterations);

    [Fact]
    public void Structure_identifiers_accepted_are_valid_and_make_safe_keys() =>
        Gen.Select(Gen.Frequency((3, Gen.Const("SIRET")), (1, Gen.OneOf(Enum.GetNames<IdentifierType>())), (1, Text)), Gen.Frequency((1, Text), (1, Gen.Long[0, 99_999_999_999_999].Select(n => n.ToString("D14", CultureInfo.InvariantCulture)))))
            .Sample((type, value) =>
            {
                if (!StructureIdentifier.TryParse(type, value, country: null, derivedIdentifier: null, out StructureIdentifier? identifier, out string? error, out string field))
                {
                    Assert.False(string.IsNullOrEmpty(error));
                    Assert.False(string.IsNullOrEmpty(field));
                    return;
                }

                Assert.Equal(type.Trim(), identifier!.Type.ToString(), ignoreCase: true);
                Assert.InRange(identifier.Value.Length, 1, 64);
                Assert.DoesNotContain(identifier.Key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
                if (identifier.Type == IdentifierType.SIRET)
                {
                    Assert.Equal(14, identifier.Value.Length);
                    Assert.True(identifier.Value.All(char.IsAsciiDigit));
                    Assert.True(Siret.LuhnValid(identifier.Value) || (identifier.Value.StartsWith("356000000", StringComparison.Ordinal) && identifier.Value.Sum(c => c - '0') % 5 == 0));
                }
            }, iter: Iterations);

    [Fact]
    public void Free_text_fields_accept_only_bounded_printable_trimmed_text() =>
        Gen.Select(AdversarialInput.NullableText, Gen.Int[1, 200], Gen.Bool).Sample((value, max, required) =>
        {
            var errors = new FieldErrors();
            string? accepted = errors.Text("field", value, max, required, "Champ");
            if (accepted is null)
            {
                Assert.True(errors.Any || !required && string.IsNullOrWhiteSpace(value));
                return;
            }

            Assert.False(errors.Any);
            Assert.InRange(accepted.Length, 1, max);
            Assert.Equal(accepted.Trim(), accepted);
            Assert.DoesNotContain(accepted, c => char.IsControl(c) || char.IsSurrogate(c)
                || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
        }, iter: Iterations);

    [Fact]
    public void Password_rules_never_accept_a_refused_password() =>
        Gen.Select(Gen.Frequency((3, Text), (1, Gen.OneOf("Password1", "PASSWORD1", "Azerty123", "Jean-Dupont1!", "Élodie2024!", "Correct-Horse-9", "8charsOK!"))), AdversarialInput.NullableText, AdversarialInput.NullableText)
            .Sample((password, lastName, firstName) =>
            {
                var context = new PasswordContext("jean.dupont@exemple.fr", lastName, firstName);
                IReadOnlyList<string> unmet = PasswordScreen.UnmetRules(password, context);
                Assert.All(unmet, rule => Assert.False(string.IsNullOrEmpty(PasswordScreen.Message(rule))));
                if (unmet.Count > 0)
                {
                    return;
                }

                Assert.InRange(PasswordPolicy.Length(password), PasswordPolicy.MinLength, PasswordPolicy.MaxLength);
                Assert.True(PasswordPolicy.ClassCount(PasswordPolicy.Classes(password)) >= 3);
                Assert.False(CommonPasswords.Contains(password));
                Assert.DoesNotContain(password, char.IsControl);
                Assert.True(UnicodeText.IsWellFormed(password));
                string folded = PasswordScreen.Fold(password);
                Assert.DoesNotContain("jean.dupont", folded, StringComparison.Ordinal);
                Assert.DoesNotContain("dupont", folded, StringComparison.Ordinal);
                foreach (string? name in new[] { lastName, firstName })
                {
                    if (name is { Length: >= PasswordScreen.MinWholeLength and <= 256 } && PasswordScreen.Fold(name) is { Length: >= PasswordScreen.MinWholeLength } foldedName)
                    {
                        Assert.DoesNotContain(foldedName, folded, StringComparison.Ordinal);
                    }
                }
            }, iter: Iterations);

    [Fact]
    public void Password_strength_is_a_score_from_0_to_4_for_any_input() =>
        Gen.Select(Text, AdversarialInput.NullableText).Sample((password, name) =>
        {
            PasswordStrengthResult result = CheckPasswordStrength.Evaluate(new PasswordStrengthRequest(password, name, name, null));
            Assert.InRange(result.Score, 0, 4);
            Assert.Equal(PasswordScreen.UnmetRules(password, new PasswordContext(name, name, null)), result.UnmetRules);
        }, iter: 300);

    [Fact]
    public void Secret_answers_normalise_without_throwing() =>
        Text.Sample(answer =>
        {
            string normalized = SecretHasher.NormalizeAnswer(answer);
            Assert.Equal(normalized.Trim(), normalized);
            Assert.DoesNotContain("  ", normalized, StringComparison.Ordinal);
        }, iter: Iterations);

    [Fact]
    public void Stored_hashes_that_are_malformed_verify_as_false_instead_of_throwing() =>
        Gen.Select(Text, Gen.Frequency(
                (3, Text),
                (1, Gen.Select(Text, Text, Gen.Int[-5, 5], (salt, hash, iterations) => $"{SecretHasher.Scheme}${iterations}${salt}${hash}")),
                (1, Text.Select(t => $"{SecretHasher.Scheme}$1$AAAA${t}"))))
            .Sample((secret, encoded) => Assert.False(SecretHasher.Verify(secret, encoded)), iter: Iterations);

    [Fact]
    public void Ids_and_tokens_are_accepted_only_in_their_exact_format() =>
        Gen.Frequency((4, Text), (1, Gen.Guid.Select(g => g.ToString("N"))), (1, Gen.Char["0123456789abcdef"].Array[44].Select(a => new string(a))))
            .Sample(value =>
            {
                if (SignupIds.IsWellFormed(value))
                {
                    Assert.Matches("^[0-9a-f]{32}$", value);
                }

                if (ActivationTokens.LooksValid(value))
                {
                    Assert.Matches("^[A-Za-z0-9_-]{43}$", value);
                }

                if (CaptchaStore.IsWellFormedId(value))
                {
                    Assert.Matches("^[0-9]{12}[0-9a-f]{32}$", value);
                }
            }, iter: Iterations);

    [Fact]
    public void Captcha_answers_normalise_to_bounded_upper_case() =>
        AdversarialInput.NullableText.Sample(answer =>
        {
            if (ImageCaptchaProvider.Normalize(answer) is { } normalized)
            {
                Assert.InRange(normalized.Length, 0, 32);
                Assert.Equal(normalized.ToUpperInvariant(), normalized);
                Assert.DoesNotContain(normalized, char.IsWhiteSpace);
            }
        }, iter: Iterations);

    [Fact]
    public void Table_keys_escaped_from_any_text_are_valid_keys() =>
        Text.Sample(value =>
        {
            string key = TableKeys.Escape(value);
            Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' or '\'' || char.IsControl(c));
        }, iter: Iterations);

    [Fact]
    public void Codes_lists_and_headers_never_throw() =>
        Gen.Select(AdversarialInput.NullableText, Text).Sample((code, header) =>
        {
            if (Countries.IsValid(code))
            {
                Assert.Matches("^[A-Z]{2}$", code!);
            }

            if (code is not null && WorkspaceCatalog.IsKnown(code))
            {
                Assert.Contains(WorkspaceCatalog.All, w => w.Code == code);
            }

            var context = new DefaultHttpContext();
            context.Request.Headers.AcceptLanguage = header;
            Assert.Contains(RequestLanguage.Of(context.Request), new[] { RequestLanguage.French, RequestLanguage.English });
            _ = ClientAddressResolver.FromChain([header], System.Net.IPAddress.Loopback, 1);
            _ = ClientAddressResolver.FromChain([header], null, 0);
        }, iter: Iterations);
}

using ChorusFunctions.Activation;
using ChorusFunctions.Email;
using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Passwords;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using ChorusFunctions.Tests.Orchestration;
using CsCheck;

namespace ChorusFunctions.Tests.Security;

/// <summary>
/// Step 2 and step 4, whose validators live inside their services, fed random and adversarial bodies through the
/// real services (in-process durable host, Azurite): never an exception, and whatever is accepted meets the rules.
/// </summary>
public sealed class ServiceValidatorPropertyTests
{
    /// <summary>Mostly plausible values (so that whole bodies are sometimes valid), sometimes hostile ones.</summary>
    static Gen<string?> Field(params string[] plausible) => Gen.Frequency(
        (10, Gen.OneOf(plausible).Select(v => (string?)v)),
        (1, AdversarialInput.NullableText));

    [Fact]
    public async Task Step_two_never_accepts_details_the_rules_refuse()
    {
        await using DurableHarness harness = await DurableHarness.StartAsync();
        string email = Sirets.NewEmail("details");
        SignupEntity started = DurableHarness.Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default));

        Gen<StructureAddress?> structure = Gen.Select(
            Field("ETS HORTICOLES GEORGES TRUFFAUT", "Café des Sports"), Field("Siège", ""), Field("8 RUE DES CHAMPS"),
            Field("Bâtiment B"), Field("CS 12345"), Field("91100", "75011", "1000", "SW1A 1AA"), Field("CORBEIL-ESSONNES", "Bruxelles"), Field("FR", "BE", "fr", "GB", "XX"),
            (c, l, a, a1, a2, p, ci, co) => new StructureAddress(c, l, a, a1, a2, p, ci, co)).Null(0.05);
        Gen<SubmitDetailsRequest> request = Gen.Select(
            Field(email, email.ToUpperInvariant(), " " + email), Field("Lucas", "N'Guessan-Élodie"), Field("Georges", "Zoé"),
            Field("compta@exemple.fr", "pas-une-adresse"), structure, Gen.Bool, Gen.Bool,
            (confirmation, last, first, contact, s, payments, dume) => new SubmitDetailsRequest(confirmation, last, first, contact, null, s, new FeaturesInput(payments, dume)));

        int accepted = 0;
        var refusals = new System.Collections.Concurrent.ConcurrentBag<string>();
        await request.SampleAsync(async details =>
        {
            Outcome<SignupEntity> outcome = await harness.Signups.SubmitDetailsAsync(started.SignupId, details, default);
            if (outcome.Problem is { } problem)
            {
                Assert.Contains(problem.Status, new[] { 400, 409 });
                refusals.Add(problem.Errors is null ? problem.Code : string.Join(",", problem.Errors.Keys));
                return;
            }

            Interlocked.Increment(ref accepted);
            SignupEntity s = outcome.Value!;
            Assert.Equal(email, EmailAddress.Normalize(details.LoginEmailConfirmation!));
            foreach ((string? value, int max) in new[] { (s.LastName, 100), (s.FirstName, 100), (s.CompanyName, 200), (s.Address, 200), (s.City, 100) })
            {
                Assert.False(string.IsNullOrWhiteSpace(value));
                Assert.InRange(value!.Length, 1, max);
                Assert.Equal(value.Trim(), value);
                Assert.DoesNotContain(value, char.IsControl);
                Assert.True(UnicodeText.IsWellFormed(value));
            }

            Assert.True(EmailAddress.IsValid(s.ContactEmail!));
            Assert.True(Countries.IsValid(s.Country));
            Assert.False(string.IsNullOrEmpty(s.PostalCode));
            if (s.Country == "FR")
            {
                Assert.Matches("^[0-9]{5}$", s.PostalCode!);
            }

            Assert.True(s.PaymentRequests || s.Dume);
        }, iter: 250, threads: 1);

        Assert.True(accepted > 0, "no valid details were generated: the property proved nothing. Refusals: "
            + string.Join("; ", refusals.GroupBy(r => r).OrderByDescending(g => g.Count()).Take(8).Select(g => $"{g.Key}×{g.Count()}")));
    }

    [Fact]
    public async Task Step_four_never_activates_with_a_password_or_answer_the_rules_refuse()
    {
        await using DurableHarness harness = await DurableHarness.StartAsync();
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();
        string token = RecordingEmailSender.TokenOf(harness.Emails.Delivered.Single(m => m.To == email));
        var context = new PasswordContext(email, "Lucas", "Georges");

        Gen<string?> password = Gen.Frequency(
            (1, Gen.OneOf<string?>("Sapin-Bleu-Qz7!kW", "Password1", "Lucas2026!x", "georges-Ab1", "Court1!", "sansmajuscule1", "Élan-Vital-2026")),
            (2, AdversarialInput.NullableText));
        Gen<ActivateAccountRequest> request = Gen.Select(password, Gen.Bool, Field("Ville de naissance", "Q ?"), Field("Corbeil", "a", " é "),
            (p, confirm, question, answer) => new ActivateAccountRequest(p, confirm ? p : p + "x", question, answer));

        ActivateAccountRequest? activatedWith = null;
        await request.SampleAsync(async activation =>
        {
            Outcome<ActivationResult> outcome = await harness.Activations.ActivateAsync(token, activation, harness.Client, default);
            if (outcome.Problem is { } problem)
            {
                Assert.Contains(problem.Status, new[] { 400, 410 });
                return;
            }

            if (activatedWith is not null)
            {
                // Only the same request again gets an answer after the activation: it is a retry, not a second activation.
                Assert.Equal(activatedWith.Password, activation.Password);
                Assert.Equal(activatedWith.SecretQuestion!.Trim(), activation.SecretQuestion!.Trim());
                Assert.Equal(SecretHasher.NormalizeAnswer(activatedWith.SecretAnswer!), SecretHasher.NormalizeAnswer(activation.SecretAnswer!));
                return;
            }

            activatedWith = activation;
            Assert.Equal(signupId, outcome.Value!.SignupId);
            Assert.Empty(PasswordScreen.UnmetRules(activation.Password!, context));
            Assert.Equal(activation.Password, activation.PasswordConfirmation);
            Assert.InRange(activation.SecretQuestion!.Trim().Length, 3, 200);
            Assert.True(SecretHasher.NormalizeAnswer(activation.SecretAnswer!).Length >= 2);
        }, iter: 200, threads: 1);
    }
}

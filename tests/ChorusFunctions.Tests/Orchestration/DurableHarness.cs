using ChorusFunctions.Sweep;
using ChorusFunctions.Activation;
using ChorusFunctions.Email;
using ChorusFunctions.LocalHost.Durable;
using ChorusFunctions.LocalHost.Functions;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.Tests.Orchestration;

/// <summary>
/// The real orchestrator and activity functions, registered exactly as the local host registers them, on the
/// in-process durable test host (in-memory backend); the activities use real tables on Azurite and a recording
/// email sender.
/// </summary>
public sealed class DurableHarness : IAsyncDisposable
{
    readonly DurableTaskTestHost host;

    DurableHarness(DurableTaskTestHost host, RecordingEmailSender emails)
    {
        this.host = host;
        Emails = emails;
    }

    public RecordingEmailSender Emails { get; }

    public DurableTaskClient Client => host.Client;

    public IServiceProvider Services => host.Services;

    public SignupService Signups => Services.GetRequiredService<SignupService>();

    public ActivationService Activations => Services.GetRequiredService<ActivationService>();

    public SignupLifecycle Lifecycle => Services.GetRequiredService<SignupLifecycle>();

    public static async Task<DurableHarness> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        Azurite azurite = await Azurite.SharedAsync();
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Security:TokenKey"] = LocalStack.TestTokenKey,
            ["Signup:EmailFirstRetryInterval"] = "00:00:00.100",
            // Tables of its own: a cleanup run here must not see (and repair through the wrong task hub) the
            // signups of the other harnesses running at the same time on the shared Azurite.
            ["Storage:TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..12],
        };
        foreach ((string key, string? value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var emails = new RecordingEmailSender();
        FunctionCatalog catalog = FunctionCatalog.Load(typeof(ServiceRegistration).Assembly);
        // The test host picks a random port in 30000-40000 unless given one, which can collide with the ports the
        // other fixtures take: give it a free one, and try again on the rare race for it.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                DurableTaskTestHost host = await DurableTaskTestHost.StartAsync(
                    registry => FunctionTasks.Register(registry, catalog),
                    new DurableTaskTestHostOptions
                    {
                        Port = FreePort.Next(),
                        ConfigureServices = services =>
                        {
                            services.AddSingleton(configuration);
                            services.AddChorusFunctions(configuration);
                            services.AddSingleton<IEmailSender>(emails);

                            // The captcha is on by default and this host is not Development: orchestration
                            // tests do not solve it.
                            services.AddSingleton<ICaptchaVerifier, NoCaptchaProvider>();
                        },
                    });
                return new DurableHarness(host, emails);
            }
            catch (IOException ex) when (attempt < 3 && ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    /// <summary>Steps 1 to 3 with valid data; returns the signup id once the activation email is delivered.</summary>
    public async Task<(string SignupId, string Email)> SignupUntilActivationEmailAsync(string? email = null, string? siret = null)
    {
        email ??= Sirets.NewEmail("orchestration");
        SignupEntity started = Expect(await Signups.StartAsync(new CreateSignupRequest(email, "SIRET", siret ?? Sirets.NewValid()), "fr", default));
        await SubmitDetailsAsync(started.SignupId, email);
        Expect(await Signups.SubmitWorkspacesAsync(started.SignupId, new SubmitWorkspacesRequest(["FACTURES_EMISES", "SOLLICITATIONS_EMISES"]), Client, default));
        await Emails.WaitForDeliveredAsync(email);

        // The delivery is recorded just after the send (by step 3, or by the activity after a failed send there):
        // wait for it, so callers see a settled signup.
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (Expect(await Signups.GetAsync(started.SignupId, default)).EmailDelivery != EmailDelivery.Sent)
        {
            Assert.True(DateTime.UtcNow < deadline, "The activation email was delivered but never recorded as sent.");
            await Task.Delay(50);
        }

        return (started.SignupId, email);
    }

    public async Task SubmitDetailsAsync(string signupId, string email) =>
        Expect(await Signups.SubmitDetailsAsync(signupId, ValidDetails(email), default));

    public static SubmitDetailsRequest ValidDetails(string email) => new(
        email,
        "Lucas",
        "Georges",
        null,
        null,
        new StructureAddress("ETS HORTICOLES GEORGES TRUFFAUT", null, "8 RUE DES CHAMPS", null, null, "91100", "CORBEIL-ESSONNES", "FR"),
        new FeaturesInput(true, false));

    public static ActivateAccountRequest ValidActivation() => new("Jardin-Truffaut-2026", "Jardin-Truffaut-2026", "Ville de naissance", "Corbeil");

    /// <summary>
    /// Waits until the orchestration has finished its first turn and sleeps. Before it stops one on purpose, a test
    /// waits for this: an activity still running at the termination would act on the row after it.
    /// </summary>
    public async Task WaitForFirstTurnAsync(string instanceId)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true))?.SerializedCustomStatus is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Orchestration {instanceId} never finished its first turn.");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Before step 3 a signup has no orchestration: the cleanup's look at its deadline starts one. Runs the cleanup,
    /// as its timer would, until the instance exists, then waits for it to complete.
    /// </summary>
    public async Task<OrchestrationMetadata> WaitForCompletionAfterLooksAsync(string instanceId)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        CleanupService cleanup = Services.GetRequiredService<CleanupService>();
        while (await Client.GetInstanceAsync(instanceId) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No look started orchestration {instanceId}.");
            await cleanup.RunAsync(Client, default);
            await Task.Delay(100);
        }

        return await WaitForCompletionAsync(instanceId);
    }

    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string signupId, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        return await Client.WaitForInstanceCompletionAsync(signupId, getInputsAndOutputs: true, cancellation.Token);
    }

    public static T Expect<T>(Http.Outcome<T> outcome) =>
        outcome.Problem is { } problem ? throw new Xunit.Sdk.XunitException($"{problem.Code}: {problem.Detail} {string.Join("; ", problem.Errors?.Select(e => $"{e.Key}: {string.Join(",", e.Value)}") ?? [])}") : outcome.Value!;

    public ValueTask DisposeAsync() => host.DisposeAsync();
}

using ChorusFunctions.LocalHost.Functions;
using ChorusFunctions.Sweep;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace ChorusFunctions.Tests.LocalHost;

public sealed class FunctionCatalogTests
{
    [Fact]
    public void Finds_every_function_of_the_app_with_its_trigger()
    {
        FunctionCatalog catalog = FunctionCatalog.Load(typeof(ServiceRegistration).Assembly);
        Assert.Contains(catalog.Http, f => f.Name == "CreateSignup" && f.Route == "signups" && f.Verbs.SequenceEqual(["POST"]));
        Assert.Contains(catalog.Http, f => f.Name == "ActivateAccount" && f.Route == "activations/{token}");
        Assert.Contains(catalog.Orchestrators, f => f.Name == "SignupOrchestrator");
        Assert.Contains(catalog.Activities, f => f.Name == "AdvanceSignup" && f.InputType == typeof(Signup.AdvanceSignupInput));
        Assert.Contains(catalog.Timers, f => f.Name == "CleanupTimer" && f.Schedule == "%Cleanup__Schedule%");
    }

    [Fact]
    public void Refuses_bindings_it_cannot_run_with_a_message_naming_the_function_and_parameter()
    {
        UnsupportedBindingException error = Assert.Throws<UnsupportedBindingException>(() => FunctionCatalog.Load([typeof(UnsupportedFunctions)]));
        Assert.Contains("QueueLike", error.Message, StringComparison.Ordinal);
        Assert.Contains("BlobInput", error.Message, StringComparison.Ordinal);
        Assert.Contains("'context'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ObjectActivity", error.Message, StringComparison.Ordinal);
        Assert.Contains("NoTrigger", error.Message, StringComparison.Ordinal);
        Assert.Contains("KeyProtected (UnsupportedFunctions.KeyProtected): auth level Function", error.Message, StringComparison.Ordinal);
        Assert.Contains("AtStartup (UnsupportedFunctions.AtStartup): RunOnStartup", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%Cleanup__Schedule%", "0 */5 * * * *")]
    [InlineData("0 0 * * * *", "0 0 * * * *")]
    public void Timer_schedules_resolve_app_settings_like_the_functions_host(string schedule, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cleanup:Schedule"] = "0 */5 * * * *" }).Build();
        Assert.Equal(expected, TimerFunctionRunner.ResolveSchedule(schedule, configuration));
    }

    sealed class FakeQueueTriggerAttribute : Attribute;

    sealed class UnsupportedFunctions
    {
        [Function("QueueLike")]
        public static void QueueLike([FakeQueueTrigger] string message) => _ = message;

        [Function("BlobInput")]
        public static IActionResult BlobInput([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request, Stream blob) => new OkResult();

        [Function("ContextParameter")]
        public static IActionResult ContextParameter([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request, FunctionContext context) => new OkResult();

        [Function("ObjectActivity")]
        public static object ObjectActivity([ActivityTrigger] object input) => input;

        [Function("NoTrigger")]
        public static void NoTrigger(string value) => _ = value;

        [Function("KeyProtected")]
        public static IActionResult KeyProtected([HttpTrigger(AuthorizationLevel.Function, "get")] HttpRequest request) => new OkResult();

        [Function("AtStartup")]
        public static void AtStartup([TimerTrigger("0 0 * * * *", RunOnStartup = true)] TimerInfo timer) => _ = timer;
    }
}

using System.Reflection;
using ChorusFunctions.Security;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Tests.Security;

/// <summary>The policy table and the HTTP functions agree: no guarded function without a policy, no policy for nothing.</summary>
public sealed class GuardPolicyTests
{
    static readonly (string Name, bool Guarded)[] HttpFunctions = typeof(RequestGuard).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods().Select(m => (Type: t, Method: m)))
        .Where(x => x.Method.GetCustomAttribute<FunctionAttribute>() is not null
            && x.Method.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null))
        .Select(x => (x.Method.GetCustomAttribute<FunctionAttribute>()!.Name, x.Type.GetConstructors().Single().GetParameters().Any(p => p.ParameterType == typeof(RequestGuard))))
        .ToArray();

    [Fact]
    public void Every_guarded_function_has_a_policy()
    {
        Assert.Equal(25, HttpFunctions.Length);
        Assert.All(HttpFunctions.Where(f => f.Guarded), f => Assert.True(GuardPolicies.ByFunction.ContainsKey(f.Name), $"{f.Name} has no policy"));
    }

    [Fact]
    public void Every_policy_is_a_guarded_function_s()
    {
        string[] guarded = [.. HttpFunctions.Where(f => f.Guarded).Select(f => f.Name), GuardPolicies.NewLinkByToken];
        Assert.Equal(guarded.Order(), GuardPolicies.ByFunction.Keys.Order());
    }
}

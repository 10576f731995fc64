using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.LocalHost.Functions;

/// <param name="DurableClient">Whether the function takes a <c>[DurableClient]</c> binding.</param>
public sealed record HttpFunction(string Name, MethodInfo Method, string Route, IReadOnlyList<string> Verbs, AuthorizationLevel AuthLevel, bool DurableClient);

public sealed record OrchestratorFunction(string Name, MethodInfo Method, Type OutputType);

public sealed record ActivityFunction(string Name, MethodInfo Method, Type InputType, Type OutputType);

public sealed record TimerFunction(string Name, MethodInfo Method, string Schedule, bool DurableClient);

/// <summary>
/// The functions of an assembly, found from their <c>[Function]</c> attributes. Only the bindings this app uses are
/// supported; anything else stops the local host at start-up with a message naming the function and parameter,
/// rather than failing at the first request.
/// </summary>
public sealed class FunctionCatalog
{
    public required IReadOnlyList<HttpFunction> Http { get; init; }

    public required IReadOnlyList<OrchestratorFunction> Orchestrators { get; init; }

    public required IReadOnlyList<ActivityFunction> Activities { get; init; }

    public required IReadOnlyList<TimerFunction> Timers { get; init; }

    public static FunctionCatalog Load(Assembly assembly) => Load(assembly.GetTypes());

    public static FunctionCatalog Load(IEnumerable<Type> types)
    {
        var problems = new List<string>();
        var http = new List<HttpFunction>();
        var orchestrators = new List<OrchestratorFunction>();
        var activities = new List<ActivityFunction>();
        var timers = new List<TimerFunction>();

        IEnumerable<MethodInfo> methods = types
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);

        foreach (MethodInfo method in methods)
        {
            string name = method.GetCustomAttribute<FunctionAttribute>()!.Name;
            var local = new List<string>();
            if (method.ReturnParameter.GetCustomAttributes().Any(a => a.GetType().Namespace?.StartsWith("Microsoft.Azure.Functions.Worker", StringComparison.Ordinal) == true))
            {
                local.Add("output bindings on the return value are not supported");
            }

            ParameterInfo[] parameters = method.GetParameters();
            ParameterInfo? trigger = parameters.FirstOrDefault(p => p.GetCustomAttributes().Any(IsTrigger));
            switch (trigger?.GetCustomAttributes().First(IsTrigger))
            {
                case HttpTriggerAttribute attribute:
                    CheckParameters(parameters, trigger, local, allowRouteValues: true, typeof(HttpRequest));
                    CheckReturn(method, local, typeof(IActionResult));
                    if (attribute.AuthLevel != AuthorizationLevel.Anonymous)
                    {
                        // Function keys live in the Functions host's key store; the local host has none to check.
                        local.Add($"auth level {attribute.AuthLevel} is not supported (only Anonymous)");
                    }

                    http.Add(new HttpFunction(name, method, attribute.Route ?? name, attribute.Methods?.Select(v => v.ToUpperInvariant()).ToArray() ?? ["GET", "POST"],
                        attribute.AuthLevel, HasDurableClient(parameters)));
                    break;
                case OrchestrationTriggerAttribute:
                    CheckParameters(parameters, trigger, local, allowRouteValues: false, typeof(TaskOrchestrationContext));
                    if (parameters.Length != 1)
                    {
                        local.Add("an orchestrator takes only its TaskOrchestrationContext");
                    }

                    orchestrators.Add(new OrchestratorFunction(name, method, ResultType(method)));
                    break;
                case ActivityTriggerAttribute:
                    CheckParameters(parameters, trigger, local, allowRouteValues: false, expectedTriggerType: null);
                    if (trigger.ParameterType == typeof(object) || trigger.ParameterType.Name == "JsonElement")
                    {
                        local.Add($"parameter '{trigger.Name}': activity inputs must be concrete types");
                    }

                    activities.Add(new ActivityFunction(name, method, trigger.ParameterType, ResultType(method)));
                    break;
                case TimerTriggerAttribute attribute:
                    CheckParameters(parameters, trigger, local, allowRouteValues: false, typeof(TimerInfo));
                    if (attribute.RunOnStartup)
                    {
                        local.Add("RunOnStartup is not supported");
                    }

                    timers.Add(new TimerFunction(name, method, attribute.Schedule, HasDurableClient(parameters)));
                    break;
                case null:
                    local.Add("no trigger parameter");
                    break;
                default:
                    local.Add($"trigger {trigger.GetCustomAttributes().First(IsTrigger).GetType().Name} is not supported by the local host");
                    break;
            }

            problems.AddRange(local.Select(p => $"{name} ({method.DeclaringType?.Name}.{method.Name}): {p}"));
        }

        if (problems.Count > 0)
        {
            throw new UnsupportedBindingException(
                "The local host cannot run these functions (it supports HttpTrigger, OrchestrationTrigger, ActivityTrigger, TimerTrigger, " +
                "DurableClient, route values and CancellationToken):" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => " - " + p)));
        }

        return new FunctionCatalog { Http = http, Orchestrators = orchestrators, Activities = activities, Timers = timers };
    }

    static bool HasDurableClient(ParameterInfo[] parameters) => parameters.Any(p => p.GetCustomAttribute<DurableClientAttribute>() is not null);

    static bool IsTrigger(Attribute attribute) =>
        attribute is HttpTriggerAttribute or OrchestrationTriggerAttribute or ActivityTriggerAttribute or TimerTriggerAttribute
        || attribute.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal);

    static void CheckParameters(ParameterInfo[] parameters, ParameterInfo trigger, List<string> problems, bool allowRouteValues, Type? expectedTriggerType)
    {
        if (expectedTriggerType is not null && trigger.ParameterType != expectedTriggerType)
        {
            problems.Add($"parameter '{trigger.Name}': the trigger must be bound to {expectedTriggerType.Name}");
        }

        foreach (ParameterInfo parameter in parameters.Where(p => p != trigger))
        {
            bool supported = parameter.ParameterType == typeof(CancellationToken)
                || (parameter.GetCustomAttribute<DurableClientAttribute>() is not null && parameter.ParameterType == typeof(DurableTaskClient))
                || (allowRouteValues && parameter.ParameterType == typeof(string) && parameter.GetCustomAttributes().All(a => a is not DurableClientAttribute));
            if (!supported || (parameter.GetCustomAttributes().Any(a => a.GetType().Namespace?.StartsWith("Microsoft.Azure.Functions.Worker", StringComparison.Ordinal) == true)
                    && parameter.GetCustomAttribute<DurableClientAttribute>() is null))
            {
                problems.Add($"parameter '{parameter.Name}' ({parameter.ParameterType.Name}) is not a supported binding");
            }
        }
    }

    static void CheckReturn(MethodInfo method, List<string> problems, Type expected)
    {
        if (!expected.IsAssignableFrom(ResultType(method)))
        {
            problems.Add($"must return {expected.Name} or Task<{expected.Name}>");
        }
    }

    /// <summary>T for Task&lt;T&gt; or T; void for Task.</summary>
    public static Type ResultType(MethodInfo method)
    {
        Type type = method.ReturnType;
        if (type == typeof(Task) || type == typeof(void))
        {
            return typeof(void);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return type.GetGenericArguments()[0];
        }

        return type;
    }

    /// <summary>Awaits whatever a function method returned and gives its result (null for Task/void).</summary>
    public static async Task<object?> AwaitResultAsync(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task;
                Type type = task.GetType();
                return type.IsGenericType && type.GetGenericArguments()[0].Name != "VoidTaskResult"
                    ? type.GetProperty(nameof(Task<object>.Result))!.GetValue(task)
                    : null;
            default:
                return returned;
        }
    }
}

public sealed class UnsupportedBindingException(string message) : Exception(message);

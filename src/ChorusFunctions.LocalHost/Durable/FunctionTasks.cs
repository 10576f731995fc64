using System.Reflection;
using System.Text.Json;
using ChorusFunctions.LocalHost.Functions;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.LocalHost.Durable;

/// <summary>Registers the catalog's orchestrator and activity functions with a Durable Task worker.</summary>
public static class FunctionTasks
{
    public static void Register(DurableTaskRegistry registry, FunctionCatalog catalog)
    {
        foreach (OrchestratorFunction orchestrator in catalog.Orchestrators)
        {
            registry.AddOrchestrator(orchestrator.Name, () => new FunctionOrchestrator(orchestrator));
        }

        foreach (ActivityFunction activity in catalog.Activities)
        {
            registry.AddActivity(activity.Name, services => new FunctionActivity(activity, services));
        }
    }

    /// <summary>
    /// Runs a function-syntax orchestrator. The raw input is taken as JSON and deserialised on demand by
    /// <see cref="FunctionOrchestrationContext.GetInput{T}"/>, as the Functions host does.
    /// </summary>
    sealed class FunctionOrchestrator(OrchestratorFunction function) : ITaskOrchestrator
    {
        public Type InputType => typeof(JsonElement?);

        public Type OutputType => function.OutputType == typeof(void) ? typeof(object) : function.OutputType;

        public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var functionContext = new FunctionOrchestrationContext(context, input as JsonElement?);
            object? target = function.Method.IsStatic ? null : Activator.CreateInstance(function.Method.DeclaringType!);
            object? returned = function.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, [functionContext], null);
            return await FunctionCatalog.AwaitResultAsync(returned);
        }
    }

    /// <summary>Runs an activity function on an instance created with dependency injection, as the Functions host does.</summary>
    sealed class FunctionActivity(ActivityFunction function, IServiceProvider services) : ITaskActivity
    {
        public Type InputType => function.InputType;

        public Type OutputType => function.OutputType == typeof(void) ? typeof(object) : function.OutputType;

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            object? target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, function.Method.DeclaringType!);
            object? returned = function.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, [input], null);
            return await FunctionCatalog.AwaitResultAsync(returned);
        }
    }
}

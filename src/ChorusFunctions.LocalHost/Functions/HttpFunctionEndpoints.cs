using System.Reflection;
using ChorusFunctions.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.LocalHost.Functions;

/// <summary>Maps each HTTP-triggered function to a Kestrel route under <c>/api</c>, binding as the Functions host does.</summary>
public static class HttpFunctionEndpoints
{
    public const string RoutePrefix = "api";

    public static void MapHttpFunctions(this IEndpointRouteBuilder endpoints, FunctionCatalog catalog)
    {
        foreach (HttpFunction function in catalog.Http)
        {
            Func<HttpContext, object?>[] binders = function.Method.GetParameters().Select(Binder).ToArray();
            endpoints.MapMethods($"/{RoutePrefix}/{function.Route}", function.Verbs, async context =>
            {
                // The product's worker middleware, run around the invocation as the Functions worker runs it.
                ApiResponseMiddleware middleware = context.RequestServices.GetRequiredService<ApiResponseMiddleware>();
                IActionResult? result = null;
                IActionResult? failure = await middleware.RunAsync(context, function.Name, async () =>
                {
                    object? target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(context.RequestServices, function.Method.DeclaringType!);
                    object?[] arguments = binders.Select(bind => bind(context)).ToArray();
                    object? returned = function.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, arguments, null);
                    result = (IActionResult)(await FunctionCatalog.AwaitResultAsync(returned))!;
                });
                await (failure ?? result!).ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
            }).WithName(function.Name).WithDisplayName(function.Name);
        }
    }

    static Func<HttpContext, object?> Binder(ParameterInfo parameter)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context => context.Request;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context => context.RequestAborted;
        }

        if (parameter.ParameterType == typeof(DurableTaskClient))
        {
            return context => context.RequestServices.GetRequiredService<DurableTaskClient>();
        }

        string name = parameter.Name!;
        return context => context.Request.RouteValues.TryGetValue(name, out object? value) ? value?.ToString() : null;
    }
}

using System.Reflection;
using ChorusFunctions.Scheduling;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;

namespace ChorusFunctions.LocalHost.Functions;

/// <summary>Runs a timer-triggered function on its NCRONTAB schedule (UTC), parsed as the Functions timer parses it.</summary>
public sealed partial class TimerFunctionRunner(TimerFunction function, IServiceProvider services, IConfiguration configuration, ILogger<TimerFunctionRunner> logger) : BackgroundService
{
    /// <summary>Resolves a <c>%Section__Key%</c> schedule the way the Functions host does, from app settings.</summary>
    public static string ResolveSchedule(string schedule, IConfiguration configuration)
    {
        if (schedule.Length > 2 && schedule.StartsWith('%') && schedule.EndsWith('%'))
        {
            string setting = schedule[1..^1];
            return configuration[setting.Replace("__", ":", StringComparison.Ordinal)]
                ?? throw new InvalidOperationException($"Timer schedule setting {setting} is not set.");
        }

        return schedule;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string schedule = ResolveSchedule(function.Schedule, configuration);
        CrontabSchedule cron = TimerSchedule.Parse(schedule);
        LogScheduled(function.Name, schedule);
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTime now = DateTime.UtcNow;
            DateTime next = cron.GetNextOccurrence(now);
            try
            {
                await Task.Delay(next - now, stoppingToken);
                await InvokeAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(ex, function.Name);
            }
        }
    }

    async Task InvokeAsync(CancellationToken cancellationToken)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        object? target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Method.DeclaringType!);
        object?[] arguments = function.Method.GetParameters().Select(p =>
            p.ParameterType == typeof(TimerInfo) ? new TimerInfo() :
            p.ParameterType == typeof(CancellationToken) ? cancellationToken :
            (object?)scope.ServiceProvider.GetRequiredService<DurableTaskClient>()).ToArray();
        await FunctionCatalog.AwaitResultAsync(function.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, arguments, null));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer function {Function} scheduled: {Schedule}")]
    partial void LogScheduled(string function, string schedule);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed")]
    partial void LogFailed(Exception exception, string function);
}

using NCrontab;

namespace ChorusFunctions.Scheduling;

/// <summary>
/// Schedules read as the Functions timer trigger reads them (NCrontab, seconds unless exactly five fields), so one that
/// passes start-up validation or runs on the local host is one the Functions host accepts.
/// </summary>
public static class TimerSchedule
{
    public static CrontabSchedule? TryParse(string? expression) => string.IsNullOrWhiteSpace(expression)
        ? null
        : CrontabSchedule.TryParse(expression, new() { IncludingSeconds = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5 });

    public static CrontabSchedule Parse(string expression) =>
        TryParse(expression) ?? throw new FormatException($"'{expression}' is not an NCRONTAB schedule.");
}

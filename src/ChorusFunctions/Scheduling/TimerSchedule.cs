using NCrontab;

namespace ChorusFunctions.Scheduling;

/// <summary>Read as the timer trigger reads them (NCrontab, seconds unless five fields), so what validates here the host accepts.</summary>
public static class TimerSchedule
{
    public static CrontabSchedule? TryParse(string? expression) => string.IsNullOrWhiteSpace(expression)
        ? null
        : CrontabSchedule.TryParse(expression, new() { IncludingSeconds = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5 });

    public static CrontabSchedule Parse(string expression) =>
        TryParse(expression) ?? throw new FormatException($"'{expression}' is not an NCRONTAB schedule.");
}

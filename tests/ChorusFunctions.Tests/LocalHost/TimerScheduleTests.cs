using ChorusFunctions.Scheduling;

namespace ChorusFunctions.Tests.LocalHost;

public sealed class TimerScheduleTests
{
    [Theory]
    [InlineData("0 */5 * * * *", "2026-03-01T10:02:30", "2026-03-01T10:05:00")]
    [InlineData("30 0 3 * * Mon-Fri", "2026-03-06T04:00:00", "2026-03-09T03:00:30")]
    // Five fields are read without seconds, as the Functions timer reads them.
    [InlineData("*/10 * * * *", "2026-03-01T10:02:30", "2026-03-01T10:10:00")]
    public void Schedules_are_read_as_the_functions_timer_reads_them(string expression, string from, string expected)
    {
        DateTime next = TimerSchedule.Parse(expression).GetNextOccurrence(DateTime.Parse(from, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Theory]
    [InlineData("0 0 0 L * *")] // last day of month: Cronos and Quartz syntax, refused by NCrontab
    [InlineData("0 0 12 ? * MON")]
    [InlineData("0 0 12 * * 1#2")]
    [InlineData("0 0 25 * * *")]
    [InlineData("0 0")]
    [InlineData("")]
    public void Schedules_the_functions_timer_would_refuse_are_refused(string expression) =>
        Assert.Null(TimerSchedule.TryParse(expression));
}

using System.Globalization;

namespace ChorusLoad.Stack;

/// <summary>CPU time of processes from <c>/proc/&lt;pid&gt;/stat</c> (utime + stime), children included.</summary>
public static class ProcessCpu
{
    // USER_HZ: 100 on every Linux the project runs on (it is fixed by the kernel's ABI for /proc).
    const double TicksPerSecond = 100;

    /// <summary>CPU seconds used so far by <paramref name="pid"/> and every live descendant; 0 once it has gone.</summary>
    public static double TreeSeconds(int pid)
    {
        double seconds = OwnSeconds(pid);
        foreach (int child in Children(pid))
        {
            seconds += TreeSeconds(child);
        }

        return seconds;
    }

    public static double OwnSeconds(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: fields are counted after its ')'.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long utime = long.Parse(fields[11], CultureInfo.InvariantCulture), stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (utime + stime) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    static IEnumerable<int> Children(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (string task in tasks)
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (string child in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return int.Parse(child, CultureInfo.InvariantCulture);
            }
        }
    }
}

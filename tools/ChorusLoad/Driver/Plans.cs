using ChorusFunctions.Testing;

namespace ChorusLoad.Driver;

/// <summary>The people of one run: a unique email each (but racers), an address each, some sharing a structure.</summary>
public static class Plans
{
    /// <param name="racers">How many of them race on one email.</param>
    public static IReadOnlyList<SignupPlan> Make(int count, int racers, Random random)
    {
        string run = Guid.NewGuid().ToString("N")[..8];
        string raceEmail = $"course.{run}@exemple.fr";
        // Racers are spread evenly over the run, so that some race while others' signups are under way.
        var racerIndexes = new HashSet<int>(Enumerable.Range(0, racers).Select(i => (int)((i + 0.5) * count / Math.Max(racers, 1))));
        var plans = new List<SignupPlan>(count);
        string siret = NewSiret(random);
        for (int i = 0; i < count; i++)
        {
            // One signup in four joins the structure of the one before it (a joining request at step 3).
            if (i % 4 != 1)
            {
                siret = NewSiret(random);
            }

            bool racer = racerIndexes.Contains(i);
            string email = racer ? raceEmail : $"charge.{i}.{run}@exemple.fr";
            string address = $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}";
            plans.Add(new SignupPlan(i, email, siret, address, racer));
        }

        return plans;
    }

    static string NewSiret(Random random)
    {
        string siren = Sirets.Complete(random.Next(10_000_000, 99_999_999).ToString("D8", System.Globalization.CultureInfo.InvariantCulture));
        return Sirets.Complete(siren + random.Next(1, 9999).ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>Every client on one host.</summary>
public sealed class SingleHost(Uri baseUrl) : IHostPicker
{
    public Uri BaseFor(int client) => baseUrl;
}

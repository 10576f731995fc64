using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Joining;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
using ChorusLoad.Driver;
using ChorusLoad.Mail;

namespace ChorusLoad;

/// <summary>
/// What must hold after a run, read from storage as generic <see cref="TableEntity"/> rows: the product's schema is
/// named in this file only (tables <c>Signups</c>, <c>Accounts</c>, <c>EmailReservations</c>, <c>Structures</c>,
/// <c>ActivationTokens</c> and the task hub's <c>Instances</c>), so a schema change costs this file.
/// </summary>
public sealed class Invariants(TableServiceClient tables, string taskHub)
{
    static readonly string[] AliveStatuses = ["AwaitingDetails", "AwaitingWorkspaces", "AwaitingActivation"];

    public async Task<InvariantReport> CheckAsync(IReadOnlyList<SignupResult> results, SmtpSink sink, IReadOnlyList<RetryAnswer> retries, CancellationToken cancellationToken)
    {
        var report = new InvariantReport();
        List<TableEntity> signups = await ReadAsync("Signups", cancellationToken);
        List<TableEntity> accounts = await ReadAsync("Accounts", cancellationToken);
        List<TableEntity> reservations = await ReadAsync("EmailReservations", cancellationToken);
        List<TableEntity> structures = await ReadAsync("Structures", cancellationToken);
        List<TableEntity> tokens = await ReadAsync("ActivationTokens", cancellationToken);
        List<TableEntity> joinRequests = await ReadAsync("JoinRequests", cancellationToken);
        // A repaired signup runs under "{signupId}-{generation}"; the row's Generation says which instance is current.
        List<TableEntity> instances = await ReadAsync(taskHub + "Instances", cancellationToken);
        var joinRequestIds = joinRequests.Select(j => j.PartitionKey).ToHashSet(StringComparer.Ordinal);

        Dictionary<string, string> statusOf = signups.ToDictionary(s => s.PartitionKey, s => s.GetString("Status") ?? "", StringComparer.Ordinal);
        Dictionary<string, TableEntity> signupOf = signups.ToDictionary(s => s.PartitionKey, StringComparer.Ordinal);
        foreach (TableEntity instance in instances)
        {
            // "{signupId}", "{signupId}-{generation}", and their joining requests' "…:join".
            instance["SignupId"] = instance.PartitionKey.Split('-', ':')[0];
        }

        bool Current(TableEntity instance) => signupOf.TryGetValue(instance.GetString("SignupId")!, out TableEntity? row)
            && (row.GetInt32("Generation") ?? 0) is int generation
            && (generation == 0 ? row.PartitionKey : $"{row.PartitionKey}-{generation}") is string current
            && (instance.PartitionKey == current || instance.PartitionKey == JoinRequestOrchestrator.InstanceIdOf(current));
        static bool IsJoinRequest(TableEntity instance) => instance.PartitionKey.EndsWith(JoiningStep.InstanceSuffix, StringComparison.Ordinal);
        bool Alive(string? id) => id is not null && statusOf.TryGetValue(id, out string? status) && AliveStatuses.Contains(status);
        bool Active(string? id) => id is not null && statusOf.TryGetValue(id, out string? status) && status == "Active";
        bool Dead(string? id) => !Alive(id) && !Active(id);

        // Every email whose step 1 succeeded (at least once, as the client saw it) ends with exactly one active account.
        ILookup<string, TableEntity> accountsByEmail = accounts.ToLookup(a => a.GetString("LoginEmail") ?? "", StringComparer.OrdinalIgnoreCase);
        ILookup<string, TableEntity> signupsByEmail = signups.ToLookup(s => s.GetString("LoginEmail") ?? "", StringComparer.OrdinalIgnoreCase);
        var expected = results.Where(r => r.SignupId is not null).GroupBy(r => r.Plan.Email, StringComparer.OrdinalIgnoreCase).ToList();
        report.Count("signups planned", results.Count);
        report.Count("step 1 succeeded", expected.Count);
        report.Count("active (client saw step 4 succeed)", results.Count(r => r.Fate == SignupFate.Active));
        report.Count("lost races (expected 409/429)", results.Count(r => r.Fate == SignupFate.LostRace));
        report.Violation("step 1 never succeeded", results.Where(r => r.Fate == SignupFate.NotStarted).Select(r => $"{r.Plan.Email}: {r.Detail}"));
        report.Violation("gave up after step 1", results.Where(r => r.Fate == SignupFate.GaveUp).Select(r => $"{r.Plan.Email} ({r.SignupId}): {r.Detail}"));
        int active = 0;
        var lost = new List<string>();
        var stuck = new List<string>();
        var duplicated = new List<string>();
        var noEmail = new List<string>();
        foreach (IGrouping<string, SignupResult> email in expected)
        {
            int activeAccounts = accountsByEmail[email.Key].Count(a => a.GetString("Status") == "Active");
            if (activeAccounts == 1)
            {
                active++;
            }
            else if (activeAccounts > 1)
            {
                duplicated.Add($"{email.Key}: {activeAccounts} active accounts");
            }
            else if (signupsByEmail[email.Key].Any(s => Alive(s.PartitionKey)))
            {
                stuck.Add($"{email.Key}: " + string.Join(", ", signupsByEmail[email.Key].Select(s => $"{s.PartitionKey} {s.GetString("Status")} emailDelivery={s.GetString("EmailDelivery")}")));
            }
            else
            {
                lost.Add($"{email.Key}: rows " + string.Join(", ", signupsByEmail[email.Key].Select(s => $"{s.PartitionKey} {s.GetString("Status")}")));
            }

            if (!sink.MessagesTo(email.Key).Any(m => m.ActivationToken is not null))
            {
                noEmail.Add(email.Key);
            }
        }

        report.Count("accounts active (storage)", active);
        report.Violation("stuck (signup alive, no active account)", stuck);
        report.Violation("lost (no active account, no live signup)", lost);
        report.Violation("duplicated (several active accounts)", duplicated);
        report.Violation("activation email never received", noEmail);
        // A duplicate (its step 2 found the email held) is never sent a link: it waits for its deadline, by design.
        report.Count("duplicate signups waiting for their deadline", signups.Count(s => Alive(s.PartitionKey) && s.GetBoolean("Duplicate") == true));
        report.Violation("signup rows not terminal", signups.Where(s => Alive(s.PartitionKey) && s.GetBoolean("Duplicate") != true)
            .Select(s => $"{s.PartitionKey} {s.GetString("Status")} {s.GetString("LoginEmail")}"));

        // Orchestrations: none failed; none running for a signup that has ended (or has no row).
        ILookup<string, TableEntity> byRuntime = instances.ToLookup(i => i.GetString("RuntimeStatus") ?? "");
        foreach (IGrouping<string, TableEntity> group in byRuntime)
        {
            report.Count($"orchestrations {group.Key}", group.Count());
        }

        // A failed instance that a repair replaced is history; a failed current one is a stuck signup.
        report.Count("signups repaired (generation > 0)", signups.Count(s => (s.GetInt32("Generation") ?? 0) > 0));
        report.Violation("orchestrations failed (current instance of a signup)", byRuntime["Failed"].Where(Current).Select(i => $"{i.PartitionKey} {i.GetString("CustomStatus")}"));
        // An active member's signup orchestration follows its joining request until the gestionnaire decides: by design.
        static bool FollowsJoinRequest(TableEntity i) => (i.GetString("CustomStatus") ?? "").Contains("\"JoinRequest\":\"Pending\"", StringComparison.Ordinal);
        report.Count("signup orchestrations following a joining request", instances.Count(i =>
            i.GetString("RuntimeStatus") is "Running" && Active(i.PartitionKey) && FollowsJoinRequest(i)));
        report.Violation("orchestrations running for a signup not alive", instances
            .Where(i => !IsJoinRequest(i) && i.GetString("RuntimeStatus") is "Running" or "Pending" && statusOf.ContainsKey(i.GetString("SignupId")!) && !Alive(i.GetString("SignupId"))
                && !(Active(i.GetString("SignupId")) && FollowsJoinRequest(i)))
            .Select(i => $"{i.PartitionKey} {i.GetString("RuntimeStatus")} {i.GetString("CustomStatus")} signup={statusOf[i.GetString("SignupId")!]} updated={i.GetDateTimeOffset("LastUpdatedTime"):O}"));
        report.Violation("orchestrations running with neither a signup nor a joining request", instances
            .Where(i => i.GetString("RuntimeStatus") is "Running" or "Pending" && !statusOf.ContainsKey(i.GetString("SignupId")!) && !joinRequestIds.Contains(i.GetString("SignupId")!))
            .Select(i => $"{i.PartitionKey} {i.GetString("CustomStatus")}"));
        report.Violation("signups settled but not finalized or released", signups
            .Where(s => (s.GetString("Status") == "Active" && s.GetBoolean("Finalized") != true) || (s.GetString("Status") is "Expired" or "Cancelled" && s.GetBoolean("Released") != true))
            .Select(s => $"{s.PartitionKey} {s.GetString("Status")}"));
        report.Count("joining-request orchestrations running", instances.Count(i =>
            i.GetString("RuntimeStatus") is "Running" or "Pending" && IsJoinRequest(i) && joinRequestIds.Contains(i.GetString("SignupId")!)));
        // A repair terminates the instance it supersedes with its child: a child left running would decide nothing.
        report.Violation("joining-request orchestrations running under a superseded signup instance", instances
            .Where(i => IsJoinRequest(i) && i.GetString("RuntimeStatus") is "Running" or "Pending" && !Current(i))
            .Select(i => $"{i.PartitionKey} {i.GetString("RuntimeStatus")}"));

        // Nothing reserved, claimed or left usable on behalf of a signup that has ended without an account.
        report.Violation("orphan EmailReservations", reservations
            .Where(r => Dead(r.GetString("SignupId")))
            .Select(r => $"{r.PartitionKey} → {r.GetString("SignupId")} ({StatusText(statusOf, r.GetString("SignupId"))})"));
        // A structure is created by its first activated account, which never ends.
        report.Violation("orphan Structures (created by a dead signup)", structures
            .Where(s => s.RowKey == "structure" && Dead(s.GetString("CreatedBySignupId")))
            .Select(s => $"{s.PartitionKey} by {s.GetString("CreatedBySignupId")} ({StatusText(statusOf, s.GetString("CreatedBySignupId"))})"));
        report.Violation("orphan Structures members (of a dead signup)", structures
            .Where(s => s.RowKey.StartsWith("member_", StringComparison.Ordinal) && Dead(s.GetString("AccountId")))
            .Select(s => $"{s.PartitionKey}/{s.RowKey} {s.GetString("Status")} ({StatusText(statusOf, s.GetString("AccountId"))})"));
        // A link opens the activation page only while it is its signup's current one; an ended signup has none.
        report.Violation("usable ActivationTokens of a dead signup", tokens
            .Where(t => Dead(t.GetString("SignupId")) && signupOf.TryGetValue(t.GetString("SignupId")!, out TableEntity? row) && row.GetString("CurrentTokenHash") == t.PartitionKey)
            .Select(t => $"{t.GetString("SignupId")} #{t.GetInt32("Sequence")} ({StatusText(statusOf, t.GetString("SignupId"))})"));

        // Retries: every answer recorded, wrong ones are violations.
        report.Count("retries answered", retries.Count);
        report.Violation("wrong answers to retries", retries.Where(r => r.Wrong).Select(r => $"signup #{r.Signup} {r.Step}: {r.Status} {r.Code}"));
        foreach (IGrouping<string, RetryAnswer> kind in retries.GroupBy(r => $"{r.Step} {r.Status}{(r.Code is null ? "" : " " + r.Code)}").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            report.Detail($"retry answer {kind.Key}", kind.Count());
        }

        // Emails: at least once delivery may repeat one; a repeat carries the same Message-Id.
        IReadOnlyList<ReceivedMessage> all = sink.All();
        report.Count("emails received", all.Count);
        report.Count("activation-link emails", all.Count(m => m.ActivationToken is not null));
        report.Count("duplicate emails (same Message-Id)", all.GroupBy(m => (m.To, m.MessageId)).Sum(g => g.Count() - 1));
        report.Count("new links asked", results.Sum(r => r.NewLinksAsked));
        return report;
    }

    /// <summary>
    /// Orchestrations still at work on a signup (not those following a joining request, nor the joining requests'
    /// own, which wait for a person's decision): the benchmark waits for these before it stops counting requests.
    /// </summary>
    public async Task<int> SignupOrchestrationsInFlightAsync(CancellationToken cancellationToken)
    {
        var joinRequestIds = (await ReadAsync("JoinRequests", cancellationToken)).Select(j => j.PartitionKey).ToHashSet(StringComparer.Ordinal);
        return (await ReadAsync(taskHub + "Instances", cancellationToken)).Count(i =>
            i.GetString("RuntimeStatus") is "Running" or "Pending"
            && !i.PartitionKey.EndsWith(JoiningStep.InstanceSuffix, StringComparison.Ordinal)
            && !joinRequestIds.Contains(i.PartitionKey)
            && !(i.GetString("CustomStatus") ?? "").Contains("\"JoinRequest\":\"Pending\"", StringComparison.Ordinal));
    }

    static string StatusText(Dictionary<string, string> statusOf, string? id) =>
        id is not null && statusOf.TryGetValue(id, out string? status) ? status : "no row";

    async Task<List<TableEntity>> ReadAsync(string table, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (TableEntity row in tables.GetTableClient(table).QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // A table nobody wrote to yet.
        }

        return rows;
    }
}

/// <summary>Counts (informational) and violations (each with a few examples) of one check.</summary>
public sealed class InvariantReport
{
    public List<(string Name, int Value)> Counts { get; } = [];

    public List<(string Name, int Value)> Details { get; } = [];

    public List<(string Name, int Value, IReadOnlyList<string> Examples)> Violations { get; } = [];

    public bool Holds => Violations.All(v => v.Value == 0);

    public int ViolationTotal => Violations.Sum(v => v.Value);

    public void Count(string name, int value) => Counts.Add((name, value));

    public void Detail(string name, int value) => Details.Add((name, value));

    public void Violation(string name, IEnumerable<string> cases)
    {
        List<string> all = [.. cases];
        Violations.Add((name, all.Count, all.Take(5).ToList()));
    }
}

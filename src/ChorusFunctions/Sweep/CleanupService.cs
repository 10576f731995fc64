using ChorusFunctions.Activation;
using ChorusFunctions.Cleanup;
using ChorusFunctions.Signup;

namespace ChorusFunctions.Sweep;

public sealed record CleanupReport(int SignupsRepaired, int TokensDeleted, int EntriesSkipped, int InstancesPurged);

/// <summary>
/// The orchestrations' backstop: repairs due signups their orchestration failed (<see cref="SignupWatch"/>), deletes
/// expired links, erases data past <see cref="PrivacyOptions.Retention"/>, purges old finished orchestration history.
/// </summary>
public sealed partial class CleanupService(
    ExpiryIndex index,
    SignupWatch watch,
    ActivationTokenStore tokens,
    Structures.JoinRequestStore joinRequests,
    SignupStore signups,
    SignupStateMachine machine,
    Security.SecurityKeys keys,
    IOptions<CleanupOptions> options,
    TimeProvider time,
    ILogger<CleanupService> logger)
{
    public async Task<CleanupReport> RunAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        CleanupOptions settings = options.Value;
        DateTimeOffset now = time.GetUtcNow();
        int repaired = 0, tokensDeleted = 0, skipped = 0, handled = 0;
        var looked = new HashSet<string>(StringComparer.Ordinal); // a signup's several due looks: one is enough

        await foreach (ExpiryIndexEntity entry in index.ExpiredAsync(now, settings.BatchSize, cancellationToken))
        {
            if (handled++ >= settings.BatchSize)
            {
                break;
            }

            switch (entry.Kind)
            {
                case ExpiryKind.Token:
                    await tokens.DeleteAsync(entry.TargetId, cancellationToken);
                    tokensDeleted++;
                    break;
                case ExpiryKind.JoinRequestToken:
                    await joinRequests.DeleteTokenAsync(entry.TargetId, cancellationToken);
                    tokensDeleted++;
                    break;
                case ExpiryKind.Erasure:
                    await EraseAsync(entry.TargetId, cancellationToken);
                    break;
                case ExpiryKind.Signup when looked.Add(entry.TargetId) && await watch.RepairIfNeededAsync(entry.TargetId, durable, cancellationToken):
                    repaired++;
                    break;
                default:
                    skipped++;
                    break;
            }

            await index.RemoveAsync(entry, cancellationToken);
        }

        // An explicit lower bound: some backends reject an open-ended CreatedFrom.
        PurgeResult purged = await durable.PurgeAllInstancesAsync(new PurgeInstancesFilter(
            CreatedFrom: new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero),
            CreatedTo: now - settings.HistoryRetention,
            Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]), cancellationToken);
        var report = new CleanupReport(repaired, tokensDeleted, skipped, purged.PurgedInstanceCount);
        LogRun(report.SignupsRepaired, report.TokensDeleted, report.EntriesSkipped, report.InstancesPurged);
        return report;
    }

    /// <summary>The retention of an ended signup passed: its personal data goes, its pseudonymised trace stays.</summary>
    async Task EraseAsync(string signupId, CancellationToken cancellationToken)
    {
        if (await signups.GetAsync(signupId, cancellationToken) is { ErasedAt: null } row
            && (await machine.EraseAsync(signupId, keys.Pseudonym("email", row.LoginEmail), cancellationToken)).Applied)
        {
            LogErased(signupId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup: personal data of ended signup {SignupId} erased")]
    partial void LogErased(string signupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup: {Repaired} signups repaired, {Tokens} tokens deleted, {Skipped} entries skipped, {Purged} instances purged")]
    partial void LogRun(int repaired, int tokens, int skipped, int purged);
}

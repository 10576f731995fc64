using ChorusFunctions.Activation;
using ChorusFunctions.Cleanup;
using ChorusFunctions.Signup;

namespace ChorusFunctions.Sweep;

public sealed record CleanupReport(int SignupsRepaired, int TokensDeleted, int EntriesSkipped, int InstancesPurged);

/// <summary>
/// The backstop behind the orchestrations: looks at each signup whose booked look fell due and repairs it when its
/// orchestration did not do what the row owes (see <see cref="SignupWatch"/>), deletes expired link rows, erases the
/// personal data of signups ended longer ago than <see cref="PrivacyOptions.Retention"/>, and purges old finished
/// orchestration history.
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

        int purged = await PurgeHistoryAsync(durable, now - settings.HistoryRetention, cancellationToken);
        var report = new CleanupReport(repaired, tokensDeleted, skipped, purged);
        LogRun(report.SignupsRepaired, report.TokensDeleted, report.EntriesSkipped, report.InstancesPurged);
        return report;
    }

    /// <summary>The retention of an ended signup passed: its personal data goes, its pseudonymised trace stays.</summary>
    async Task EraseAsync(string signupId, CancellationToken cancellationToken)
    {
        if (await signups.GetAsync(signupId, cancellationToken) is not { ErasedAt: null } row)
        {
            return;
        }

        if ((await machine.EraseAsync(signupId, keys.Pseudonym("email", row.LoginEmail), cancellationToken)).Applied)
        {
            LogErased(signupId);
        }
    }

    async Task<int> PurgeHistoryAsync(DurableTaskClient durable, DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        // An explicit lower bound: some backends reject an open-ended CreatedFrom.
        var filter = new PurgeInstancesFilter(
            CreatedFrom: new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero),
            CreatedTo: createdBefore,
            Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]);
        PurgeResult result = await durable.PurgeAllInstancesAsync(filter, cancellationToken);
        return result.PurgedInstanceCount;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup: personal data of ended signup {SignupId} erased")]
    partial void LogErased(string signupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup: {Repaired} signups repaired, {Tokens} tokens deleted, {Skipped} entries skipped, {Purged} instances purged")]
    partial void LogRun(int repaired, int tokens, int skipped, int purged);
}

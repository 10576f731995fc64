using ChorusFunctions.Activation;
using ChorusFunctions.Signup;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Cleanup;

public sealed record CleanupReport(int SignupsReleased, int TokensDeleted, int EntriesSkipped, int InstancesPurged);

/// <summary>
/// The backstop behind the orchestrations: releases what a failed or lost orchestration left past its deadline,
/// deletes expired activation tokens, and purges old finished orchestration history.
/// </summary>
public sealed partial class CleanupService(
    ExpiryIndex index,
    SignupStore signups,
    SignupLifecycle lifecycle,
    ActivationTokenStore tokens,
    Structures.JoinRequestStore joinRequests,
    IOptions<CleanupOptions> options,
    TimeProvider time,
    ILogger<CleanupService> logger)
{
    public async Task<CleanupReport> RunAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        CleanupOptions settings = options.Value;
        DateTimeOffset now = time.GetUtcNow();
        int released = 0, tokensDeleted = 0, skipped = 0, handled = 0;

        // Entries of the last Grace are left for the next run: their orchestration is expected to act first.
        await foreach (ExpiryIndexEntity entry in index.ExpiredAsync(now - settings.Grace, settings.BatchSize, cancellationToken))
        {
            if (handled++ >= settings.BatchSize)
            {
                break;
            }

            switch (Enum.Parse<ExpiryKind>(entry.Kind))
            {
                case ExpiryKind.Token:
                    await tokens.DeleteAsync(entry.TargetId, cancellationToken);
                    tokensDeleted++;
                    break;
                case ExpiryKind.JoinRequestToken:
                    await joinRequests.DeleteTokenAsync(entry.TargetId, cancellationToken);
                    tokensDeleted++;
                    break;
                case ExpiryKind.Signup when await ReleaseIfOverdueAsync(entry.TargetId, now - settings.Grace, cancellationToken):
                    released++;
                    break;
                default:
                    skipped++;
                    break;
            }

            await index.RemoveAsync(entry, cancellationToken);
        }

        int purged = await PurgeHistoryAsync(durable, now - settings.HistoryRetention, cancellationToken);
        var report = new CleanupReport(released, tokensDeleted, skipped, purged);
        LogRun(report.SignupsReleased, report.TokensDeleted, report.EntriesSkipped, report.InstancesPurged);
        return report;
    }

    /// <summary>True when the signup was still holding its reservations past its deadline and is now released.</summary>
    async Task<bool> ReleaseIfOverdueAsync(string signupId, DateTimeOffset overdueBefore, CancellationToken cancellationToken)
    {
        SignupEntity? signup = await signups.GetAsync(signupId, cancellationToken);
        if (signup is null || signup.Released || signup.GetStatus() == SignupStatus.Active)
        {
            return false;
        }

        SignupStatus status = signup.GetStatus();
        if (!status.IsTerminal() && signup.ExpiresAt > overdueBefore)
        {
            // The deadline moved on (a later step); a newer index entry covers it.
            return false;
        }

        if (status.IsTerminal())
        {
            await lifecycle.EndAsync(signupId, status, cancellationToken);
        }
        else
        {
            await lifecycle.ExpireAsync(signupId, cancellationToken);
        }

        LogBackstopRelease(signupId, status);
        return true;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup: {Released} signups released, {Tokens} tokens deleted, {Skipped} entries skipped, {Purged} instances purged")]
    partial void LogRun(int released, int tokens, int skipped, int purged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleanup released signup {SignupId} ({Status}) that its orchestration left behind")]
    partial void LogBackstopRelease(string signupId, SignupStatus status);
}

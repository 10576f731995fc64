using ChorusFunctions.Storage;

namespace ChorusFunctions.Structures;

public sealed class StructureStore(TableClients tables) : TableStore(tables, TableNames.Structures)
{
    public Task<StructureEntity?> GetAsync(string structureKey, CancellationToken cancellationToken) =>
        FindAsync<StructureEntity>(structureKey, StructureEntity.Row, cancellationToken);

    /// <summary>
    /// The structure, if an activated account holds it: what step 1 and the lookup may call an existing structure.
    /// </summary>
    public async Task<StructureEntity?> GetActiveAsync(string structureKey, CancellationToken cancellationToken) =>
        await GetAsync(structureKey, cancellationToken) is { } structure && structure.Status == StructureStatus.Active ? structure : null;

    public Task<MemberEntity?> GetMemberAsync(string structureKey, string accountId, CancellationToken cancellationToken) =>
        FindAsync<MemberEntity>(structureKey, MemberEntity.RowOf(accountId), cancellationToken);

    /// <summary>
    /// Creates the structure with its gestionnaire principal in one transaction. False when the structure already
    /// exists (someone else created it first): the caller then files a joining request.
    /// </summary>
    public async Task<bool> TryCreateAsync(StructureEntity structure, MemberEntity gestionnaire, CancellationToken cancellationToken) =>
        await SubmitAsync([new(TableTransactionActionType.Add, structure), new(TableTransactionActionType.Add, gestionnaire)], cancellationToken)
        // A retried activity may have created it itself: that still counts as created.
        || (await GetMemberAsync(structure.PartitionKey, gestionnaire.AccountId, cancellationToken))?.Role == MemberRole.GestionnairePrincipal;

    /// <summary>Replaces a stale pending structure (its creator's signup ended) with ours; false if it changed meanwhile.</summary>
    public Task<bool> TryTakeOverAsync(StructureEntity stale, StructureEntity structure, MemberEntity gestionnaire, CancellationToken cancellationToken) =>
        SubmitAsync([new(TableTransactionActionType.UpdateReplace, structure, stale.ETag), new(TableTransactionActionType.UpsertReplace, gestionnaire)], cancellationToken);

    /// <summary>Adds (or keeps) a member row; idempotent for retried activities.</summary>
    public async Task<MemberEntity> AddMemberAsync(MemberEntity member, CancellationToken cancellationToken) =>
        await InsertAsync(member, cancellationToken) ? member : (await GetMemberAsync(member.PartitionKey, member.AccountId, cancellationToken))!;

    public async Task<IReadOnlyList<MemberEntity>> ListMembersAsync(string structureKey, CancellationToken cancellationToken) =>
        await Table.QueryAsync<MemberEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {structureKey} and RowKey ge {MemberEntity.RowPrefix} and RowKey lt {"member`"}"),
            cancellationToken: cancellationToken).ToListAsync(cancellationToken);

    public async Task UpdateMemberStatusAsync(string structureKey, string accountId, MembershipStatus status, CancellationToken cancellationToken)
    {
        MemberEntity? member = await GetMemberAsync(structureKey, accountId, cancellationToken);
        if (member is null || member.Status == status)
        {
            return;
        }

        member.Status = status;
        await ReplaceOrThrowAsync(member, cancellationToken);
    }

    /// <summary>Writes the contact-verification columns; false when the row changed meanwhile (the caller reads it again).</summary>
    public async Task<bool> TryUpdateAsync(StructureEntity structure, CancellationToken cancellationToken) =>
        await ReplaceAsync(structure, cancellationToken) == Write.Applied;

    /// <summary>A pending structure becomes active with its gestionnaire principal's account.</summary>
    public async Task ActivateAsync(string structureKey, CancellationToken cancellationToken)
    {
        StructureEntity? structure = await GetAsync(structureKey, cancellationToken);
        if (structure is null || structure.Status == StructureStatus.Active)
        {
            return;
        }

        structure.Status = StructureStatus.Active;
        await ReplaceOrThrowAsync(structure, cancellationToken);
    }

    /// <summary>
    /// Gives back what a signup held: its member row, and the structure itself when this signup created it, it
    /// never became active and nobody else is a member.
    /// </summary>
    public async Task ReleaseAsync(string structureKey, string accountId, string signupId, CancellationToken cancellationToken)
    {
        await DeleteAsync(structureKey, MemberEntity.RowOf(accountId), ETag.All, cancellationToken);
        StructureEntity? structure = await GetAsync(structureKey, cancellationToken);
        if (structure is null || structure.CreatedBySignupId != signupId || structure.Status != StructureStatus.Pending)
        {
            return;
        }

        if ((await ListMembersAsync(structureKey, cancellationToken)).Count > 0)
        {
            return;
        }

        await DeleteAsync(structureKey, StructureEntity.Row, structure.ETag, cancellationToken);
    }
}

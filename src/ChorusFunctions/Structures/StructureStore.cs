using ChorusFunctions.Storage;

namespace ChorusFunctions.Structures;

public sealed class StructureStore(TableClients tables) : TableStore(tables, TableNames.Structures)
{
    public Task<StructureEntity?> GetAsync(string structureKey, CancellationToken cancellationToken) =>
        FindAsync<StructureEntity>(structureKey, StructureEntity.Row, cancellationToken);

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

    /// <summary>Adds (or keeps) a member row; idempotent for retried activities.</summary>
    public async Task<MemberEntity> AddMemberAsync(MemberEntity member, CancellationToken cancellationToken) =>
        await InsertAsync(member, cancellationToken) ? member : (await GetMemberAsync(member.PartitionKey, member.AccountId, cancellationToken))!;

    public async Task<IReadOnlyList<MemberEntity>> ListMembersAsync(string structureKey, CancellationToken cancellationToken) =>
        await Table.QueryAsync<MemberEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {structureKey} and RowKey ge {MemberEntity.RowPrefix} and RowKey lt {"member`"}"),
            cancellationToken: cancellationToken).ToListAsync(cancellationToken);

    public async Task<MemberEntity?> FindGestionnaireAsync(string structureKey, CancellationToken cancellationToken) =>
        (await ListMembersAsync(structureKey, cancellationToken)).FirstOrDefault(m => m.Role == MemberRole.GestionnairePrincipal);

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
}

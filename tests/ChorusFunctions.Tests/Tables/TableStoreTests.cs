using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Signup;
using ChorusFunctions.Storage;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Tables;

/// <summary>The store base's answers to 404, 409 and 412, and enum columns stored as the names rows always had.</summary>
public sealed class TableStoreTests
{
    [Fact]
    public async Task Find_insert_replace_and_delete_answer_instead_of_throwing()
    {
        TableClients tables = await TablesAsync();
        var store = new ProbeStore(tables);
        string key = Guid.NewGuid().ToString("N");

        Assert.Null(await store.Find(key));
        var row = new JoinRequestTokenEntity { PartitionKey = key, RequestId = "first", ExpiresAt = DateTimeOffset.UtcNow };
        Assert.True(await store.Insert(row));
        Assert.False(await store.Insert(new JoinRequestTokenEntity { PartitionKey = key, RequestId = "second", ExpiresAt = DateTimeOffset.UtcNow }));

        JoinRequestTokenEntity stale = (await store.Find(key))!;
        row.RequestId = "changed";
        Assert.Equal(Write.Applied, await store.Replace(row)); // the insert left the row its new ETag
        stale.RequestId = "lost";
        Assert.Equal(Write.Conflict, await store.Replace(stale));
        Assert.Equal("changed", (await store.Find(key))!.RequestId);

        Change<JoinRequestTokenEntity> unchanged = await store.Mutate(key, _ => false);
        Assert.False(unchanged.Applied);
        Assert.Equal("changed", unchanged.Row!.RequestId);
        Change<JoinRequestTokenEntity> changed = await store.Mutate(key, r =>
        {
            r.RequestId = "mutated";
            return true;
        });
        Assert.True(changed.Applied);
        Assert.Equal("mutated", (await store.Find(key))!.RequestId);

        Assert.False(await store.Delete(key, stale.ETag));
        Assert.True(await store.Delete(key, ETag.All));
        Assert.False(await store.Delete(key, ETag.All));
        Assert.Equal(Write.Missing, await store.Replace(row));
        Assert.Equal(new Change<JoinRequestTokenEntity>(null, false), await store.Mutate(key, _ => true));
    }

    [Fact]
    public async Task Enum_columns_read_the_strings_rows_were_written_with_and_write_the_same()
    {
        TableClients tables = await TablesAsync();
        TableClient table = tables.Get(TableNames.Signups);
        var signups = new SignupStore(tables);
        string joiner = Guid.NewGuid().ToString("N");
        await table.AddEntityAsync(OldSignupRow(joiner, "Active", new() { ["Role"] = "Utilisateur", ["Membership"] = "PendingApproval", ["EmailDelivery"] = "Sent" }));
        string early = Guid.NewGuid().ToString("N");
        await table.AddEntityAsync(OldSignupRow(early, "AwaitingDetails", []));

        SignupEntity read = (await signups.GetAsync(joiner, default))!;
        Assert.Equal(SignupStatus.Active, read.Status);
        Assert.Equal(IdentifierType.SIRET, read.IdentifierType);
        Assert.Equal(MemberRole.Utilisateur, read.Role);
        Assert.Equal(MembershipStatus.PendingApproval, read.Membership);
        Assert.Equal(EmailDelivery.Sent, read.EmailDelivery);
        SignupEntity before = (await signups.GetAsync(early, default))!;
        Assert.Equal(SignupStatus.AwaitingDetails, before.Status);
        Assert.Null(before.Role);
        Assert.Null(before.Membership);
        Assert.Null(before.EmailDelivery);

        await signups.MutateAsync(early, _ => true, row =>
        {
            row.Status = SignupStatus.AwaitingWorkspaces;
            row.EmailDelivery = EmailDelivery.Pending;
        }, default);
        TableEntity written = (await table.GetEntityAsync<TableEntity>(early, SignupEntity.Row)).Value;
        Assert.Equal("AwaitingWorkspaces", written.GetString("Status"));
        Assert.Equal("Pending", written.GetString("EmailDelivery"));
        Assert.False(written.ContainsKey("Role"));

        // Captchas from before the text kind have no Kind column: they are images.
        TableClient captchas = tables.Get(TableNames.Captchas);
        string row = Guid.NewGuid().ToString("N");
        await captchas.AddEntityAsync(new TableEntity("202601010000", row) { ["AnswerHash"] = "x", ["ExpiresAt"] = DateTimeOffset.UtcNow });
        Assert.Equal(CaptchaKind.Image, (await captchas.GetEntityAsync<CaptchaEntity>("202601010000", row)).Value.Kind);
    }

    [Fact]
    public async Task A_call_reads_a_signup_once_and_a_stale_snapshot_costs_a_retry_never_an_update()
    {
        TableClients tables = await TablesAsync();
        TableClient table = tables.Get(TableNames.Signups);
        var signups = new SignupStore(tables);
        string id = Guid.NewGuid().ToString("N");
        await table.AddEntityAsync(OldSignupRow(id, "AwaitingDetails", []));

        using (ReadOnce.Begin())
        {
            SignupEntity first = (await signups.GetAsync(id, default))!;
            first.LastName = "changed by the caller only";

            // Another writer, outside this call, changes the row after the call read it.
            await table.UpdateEntityAsync(new TableEntity(id, SignupEntity.Row) { ["FirstName"] = "Camille" }, ETag.All, TableUpdateMode.Merge);
            SignupEntity again = (await signups.GetAsync(id, default))!;
            Assert.Null(again.FirstName); // the call's snapshot, not a second read
            Assert.Null(again.LastName); // and not the caller's copy

            // The write from the snapshot meets the other writer's ETag, reads again and keeps both changes.
            Change<SignupEntity> written = await signups.MutateAsync(id, _ => true, row =>
            {
                row.LastName = "Durand";
            }, default);
            Assert.True(written.Applied);
            SignupEntity after = (await signups.GetAsync(id, default))!;
            Assert.Equal(("Camille", "Durand"), (after.FirstName, after.LastName));
            Assert.Equal(written.Row!.ETag, after.ETag); // the call's own write is its new snapshot
        }

        // Outside a call, every read goes to storage.
        await table.UpdateEntityAsync(new TableEntity(id, SignupEntity.Row) { ["FirstName"] = "Lou" }, ETag.All, TableUpdateMode.Merge);
        Assert.Equal("Lou", (await signups.GetAsync(id, default))!.FirstName);
    }

    static TableEntity OldSignupRow(string id, string status, Dictionary<string, object> extra)
    {
        var row = new TableEntity(id, SignupEntity.Row)
        {
            ["Status"] = status,
            ["CreatedAt"] = DateTimeOffset.UtcNow,
            ["ExpiresAt"] = DateTimeOffset.UtcNow.AddHours(1),
            ["LoginEmail"] = "marie.durand@exemple.fr",
            ["IdentifierType"] = "SIRET",
            ["Identifier"] = "44942603000135",
            ["StructureKey"] = "SIRET_44942603000135",
        };
        foreach ((string name, object value) in extra)
        {
            row[name] = value;
        }

        return row;
    }

    static async Task<TableClients> TablesAsync()
    {
        Azurite azurite = await Azurite.SharedAsync();
        var tables = new TableClients(new TableServiceClient(azurite.ConnectionString), Options.Create(new StorageOptions { TablePrefix = "StoreTests" }));
        foreach (string name in new[] { TableNames.Signups, TableNames.Captchas, TableNames.JoinRequests })
        {
            await tables.Get(name).CreateIfNotExistsAsync();
        }

        return tables;
    }

    /// <summary>The base's operations, on a table of link rows.</summary>
    sealed class ProbeStore(TableClients tables) : TableStore(tables, TableNames.JoinRequests)
    {
        public Task<JoinRequestTokenEntity?> Find(string key) => FindAsync<JoinRequestTokenEntity>(key, JoinRequestTokenEntity.Row, default);

        public Task<bool> Insert(JoinRequestTokenEntity row) => InsertAsync(row, default);

        public Task<Write> Replace(JoinRequestTokenEntity row) => ReplaceAsync(row, default);

        public Task<bool> Delete(string key, ETag etag) => DeleteAsync(key, JoinRequestTokenEntity.Row, etag, default);

        public Task<Change<JoinRequestTokenEntity>> Mutate(string key, Func<JoinRequestTokenEntity, bool> apply) =>
            MutateAsync(key, JoinRequestTokenEntity.Row, apply, default);
    }
}

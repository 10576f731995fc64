using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ChorusFunctions.Activation;
using ChorusFunctions.Http;
using ChorusFunctions.Joining;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing.Contract;
using ChorusFunctions.Workspaces;

namespace ChorusFunctions.Tests.Contract;

/// <summary>
/// The document's schemas have the members the C# contracts serialise — names taken from the API's own
/// <see cref="JsonDefaults.Api"/>, so a renamed or added property fails here before any client notices.
/// </summary>
public sealed class SchemaShapeTests
{
    static readonly OpenApiContract Contract = OpenApiContract.Default;

    public static TheoryData<string, Type> Records() => new()
    {
        { "CreateSignupRequest", typeof(CreateSignupRequest) },
        { "SubmitDetailsRequest", typeof(SubmitDetailsRequest) },
        { "CaptchaAnswer", typeof(CaptchaAnswer) },
        { "StructureInput", typeof(StructureAddress) },
        { "FeaturesInput", typeof(FeaturesInput) },
        { "SubmitWorkspacesRequest", typeof(SubmitWorkspacesRequest) },
        { "ActivateAccountRequest", typeof(ActivateAccountRequest) },
        { "SignupView", typeof(SignupView) },
        { "StructureView", typeof(StructureView) },
        { "FeaturesView", typeof(FeaturesView) },
        { "Workspace", typeof(Workspace) },
        { "ActivationView", typeof(ActivationView) },
        { "ActivationResult", typeof(ActivationResult) },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void A_schema_has_the_members_of_its_record(string schema, Type type)
    {
        string[] serialised = Members(type);
        string[] documented = SchemaProperties(schema);

        // A member marked x-planned is being added on another branch: absent from the code is fine, present means
        // it has landed and the mark must go.
        string[] planned = PlannedProperties(schema);
        string[] landed = planned.Intersect(serialised).ToArray();
        string[] expected = documented.Except(planned.Except(serialised)).ToArray();

        Assert.True(serialised.SequenceEqual(expected),
            $"{schema} vs {type.Name}: only in the document [{string.Join(", ", expected.Except(serialised))}], only in the code [{string.Join(", ", serialised.Except(expected))}]");
        Assert.True(landed.Length == 0, $"{schema}: remove x-planned from [{string.Join(", ", landed)}], the code has them now");
    }

    /// <summary>Schemas of records being added on other branches, named rather than typed so this compiles before they land.</summary>
    public static TheoryData<string, string> PlannedRecords() => new()
    {
        { "StructureLookupView", "ChorusFunctions.Structures.StructureLookupView" },
        { "StructurePrefill", "ChorusFunctions.Structures.StructureAddress" },
        { "JoinRequestView", "ChorusFunctions.Joining.JoinRequestView" },
        { "JoinRequesterView", "ChorusFunctions.Joining.JoinRequesterView" },
        { "JoinRequestStructureView", "ChorusFunctions.Joining.JoinRequestStructureView" },
        { "CaptchaChallenge", "ChorusFunctions.Security.Captcha.CaptchaChallenge" },
        { "PasswordStrengthRequest", "ChorusFunctions.Security.Passwords.PasswordStrengthRequest" },
        { "PasswordStrengthResult", "ChorusFunctions.Security.Passwords.PasswordStrengthResult" },
        { "RegisterStatus", "ChorusFunctions.Structures.RegisterStatus" },
        { "JoinRequestStatus", "ChorusFunctions.Structures.JoinRequestStatus" },
    };

    [Theory]
    [MemberData(nameof(PlannedRecords))]
    public void A_planned_schema_matches_its_type_once_the_type_exists(string schema, string typeName)
    {
        Type? type = typeof(ErrorCodes).Assembly.GetType(typeName);
        bool planned = Contract.ComponentSchemas[schema]!["x-planned"] is not null;
        if (type is null)
        {
            Assert.True(planned, $"{schema} documents {typeName}, which does not exist: mark the schema x-planned or fix the name");
            return;
        }

        Assert.False(planned, $"{typeName} exists now: remove x-planned from the {schema} schema");
        if (type.IsEnum)
        {
            Assert.Equal(Enum.GetNames(type), EnumValues(schema));
        }
        else
        {
            A_schema_has_the_members_of_its_record(schema, type);
        }
    }

    [Fact]
    public void Problem_documents_every_member_an_ApiProblem_writes()
    {
        // Extension members (currentStatus, canRequestNewLink, signupId) come from the extension dictionary and are
        // documented on Problem too; the typed members must all be there.
        string[] missing = Members(typeof(ApiProblem)).Except(SchemaProperties("Problem")).ToArray();
        Assert.True(missing.Length == 0, "Problem lacks: " + string.Join(", ", missing));
    }

    public static TheoryData<string, Type> Enums() => new()
    {
        { "SignupStatus", typeof(SignupStatus) },
        { "EmailDelivery", typeof(EmailDelivery) },
        { "MemberRole", typeof(MemberRole) },
        { "MembershipStatus", typeof(MembershipStatus) },
        { "IdentifierType", typeof(IdentifierType) },
    };

    [Theory]
    [MemberData(nameof(Enums))]
    public void An_enum_schema_lists_the_enum_values(string schema, Type type)
    {
        Assert.Equal(Enum.GetNames(type), EnumValues(schema));
    }

    [Fact]
    public void The_workspace_codes_are_the_catalogue()
    {
        Assert.Equal(WorkspaceCatalog.All.Select(w => w.Code), EnumValues("WorkspaceCode"));
    }

    public static TheoryData<string, Type> RequestBodies() => new()
    {
        { "CreateSignup", typeof(CreateSignupRequest) },
        { "SubmitSignupDetails", typeof(SubmitDetailsRequest) },
        { "SubmitSignupWorkspaces", typeof(SubmitWorkspacesRequest) },
        { "ActivateAccount", typeof(ActivateAccountRequest) },
    };

    [Theory]
    [MemberData(nameof(RequestBodies))]
    public void Request_examples_are_accepted_by_the_api_deserialiser(string operationId, Type type)
    {
        // The API refuses unknown members; an example a front-end developer copies must get past that.
        ContractOperation operation = Contract.Operations.Single(o => o.OperationId == operationId);
        JsonObject examples = operation.Node["requestBody"]!["content"]!["application/json"]!["examples"]!.AsObject();
        Assert.NotEmpty(examples);
        foreach ((string name, JsonNode? example) in examples)
        {
            string json = Contract.Resolve(example!.AsObject())["value"]!.ToJsonString();
            object? value = JsonSerializer.Deserialize(json, type, JsonDefaults.Api);
            Assert.True(value is not null, $"{operationId} example {name} did not deserialise");
        }
    }

    static string[] Members(Type type) =>
        JsonDefaults.Api.GetTypeInfo(type).Properties
            .Where(p => (p.Get is not null || p.Set is not null) && !p.IsExtensionData)
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal)
            .ToArray();

    static string[] SchemaProperties(string schema) =>
        Contract.ComponentSchemas[schema]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();

    static string[] PlannedProperties(string schema) =>
        Contract.ComponentSchemas[schema]!["properties"]!.AsObject()
            .Where(p => p.Value?["x-planned"] is not null)
            .Select(p => p.Key)
            .Order(StringComparer.Ordinal)
            .ToArray();

    static string[] EnumValues(string schema) =>
        Contract.ComponentSchemas[schema]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
}

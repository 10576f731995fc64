using ChorusFunctions.Storage;

namespace ChorusFunctions.Structures;

/// <summary>A structure's name and postal address: what the register prefills, step 2 takes and the signup and structure store.</summary>
/// <param name="CompanyName">Null when the register masks it (<c>[ND]</c>) for a partly non-diffusible unit.</param>
/// <remarks>Not sealed: a signup's structure view is this address plus the identifier.</remarks>
public record StructureAddress(
    string? CompanyName,
    string? Label,
    string? Address,
    string? AddressComplement1,
    string? AddressComplement2,
    string? PostalCode,
    string? City,
    string? Country)
{
    public static StructureAddress Empty { get; } = new(null, null, null, null, null, null, null, null);
}

/// <summary>A row keeping a <see cref="StructureAddress"/> in eight columns, under the names rows have always had.</summary>
public abstract class AddressRow : TableRow
{
    public string? CompanyName { get; set; }

    public string? Label { get; set; }

    public string? Address { get; set; }

    public string? AddressComplement1 { get; set; }

    public string? AddressComplement2 { get; set; }

    public string? PostalCode { get; set; }

    public string? City { get; set; }

    public string? Country { get; set; }

    public StructureAddress GetAddress() => new(CompanyName, Label, Address, AddressComplement1, AddressComplement2, PostalCode, City, Country);

    public void SetAddress(StructureAddress address) =>
        (CompanyName, Label, Address, AddressComplement1, AddressComplement2, PostalCode, City, Country) = address;
}

namespace ChorusFunctions.Email;

/// <summary>UUID v5 (RFC 9562): one idempotency key, one ACS <c>Operation-Id</c>, so the service recognises a retried send.</summary>
public static class OperationIds
{
    /// <summary>This application's namespace for email operation ids (a fixed random UUID).</summary>
    public static readonly Guid EmailNamespace = new("6f1d7c52-93a4-4b0e-8e57-2c6a1f0b9d13");

    public static Guid ForEmail(string idempotencyKey) => NameBased(EmailNamespace, idempotencyKey);

    public static Guid NameBased(Guid @namespace, string name)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        byte[] input = new byte[16 + nameBytes.Length];
        @namespace.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

        // SHA-1 is what version 5 specifies; it names, it does not protect anything.
#pragma warning disable CA5350
        byte[] hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}

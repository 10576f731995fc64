using System.Text;
using CsCheck;

namespace ChorusFunctions.Tests.Security;

/// <summary>
/// Generators of hostile input: random and adversarial strings (control characters, lone surrogates, bidi and
/// zero-width characters, quotes and OData-looking filters, path traversal, very long values), and byte bodies
/// that are broken JSON, deep JSON, wrong types and invalid UTF-8.
/// </summary>
public static class AdversarialInput
{
    public static readonly string[] Nasty =
    [
        "", " ", "\t", "\0", "null", "undefined", "true", "0", "-1", "1e309", "NaN",
        "'", "''", "\"", "\\", "%", "%00", "%27", "#", "?", "/", "//", "../", "..\\", "../../etc/passwd", "%2e%2e%2f",
        "' or 1 eq 1 or '", "PartitionKey eq 'x'", "RowKey ne ''", "') or (PartitionKey ne '", "$filter=true",
        "<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}", "\u202eevil", "\u200b", "\ufeff", "\uffff", "\ud800", "\udc00",
        "é", "e\u0301", "İ", "ß", "ﬀ", "Ⅻ", "😀", "\U0001F9D1\u200D\U0001F4BB", "Ａ", "١٢٣", "\r\n", "a\u0000b",
        "jean.dupont@exemple.fr", "JEAN.DUPONT@EXEMPLE.FR", "a@b", "@", "a@", "@b.fr", "a@@b.fr", "a@b..fr", "a@-b.fr",
        "44306184100047", "443 061 841 00047", "35600000000048", "00000000000000", "99999999999999", "4430618410004",
        "Password1", "Azerty123!", "Motdepasse1", "P@ssw0rd", "Dupont2024!",
    ];

    /// <summary>Characters with a bias towards the troublesome.</summary>
    public static readonly Gen<char> Char = Gen.Frequency(
        (10, Gen.Char['a', 'z']),
        (4, Gen.Char['A', 'Z']),
        (4, Gen.Char['0', '9']),
        (4, Gen.Char[" !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"]),
        (3, Gen.Char['\0', '\u001f']),
        (2, Gen.Char['\u0080', '\u00ff']),
        (2, Gen.Char["\u0301\u0300\u0308\u200b\u200d\u202e\ufeff\u00a0\u2028\uffff\ufffd"]),
        (2, Gen.Char['\ud800', '\udfff']),
        (2, Gen.Char));

    public static readonly Gen<string> Short = Gen.Frequency(
        (3, Gen.OneOf(Nasty)),
        (6, Char.Array[0, 40].Select(a => new string(a))),
        (1, Char.Array[41, 300].Select(a => new string(a))));

    public static readonly Gen<string> Text = Gen.Frequency(
        (8, Short),
        (1, Gen.Select(Gen.OneOf(Nasty), Gen.Int[2, 3000], (s, n) => string.Concat(Enumerable.Repeat(s.Length == 0 ? "a" : s, n)))),
        (1, Gen.Select(Short, Short, Short, (a, b, c) => a + b + c)));

    public static readonly Gen<string?> NullableText = Text.Null(0.15);

    /// <summary>A JSON value of any kind for a member that expects a string: wrong types included.</summary>
    public static readonly Gen<string> JsonValue = Gen.Frequency(
        (6, Text.Select(Json)),
        (1, Gen.OneOf("null", "true", "false", "0", "-0", "1e400", "123456789012345678901234567890", "[]", "{}", "[[[]]]", "{\"a\":1}", "\"\\ud800\"", "\"\\u0000\"")),
        (1, Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    public static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>An object with the given members (and sometimes an unknown one, a duplicate, or a missing one).</summary>
    public static Gen<string> JsonObject(params string[] members) =>
        Gen.Select(
            JsonValue.Array[members.Length],
            Gen.Bool.Array[members.Length],
            Gen.Int[0, 9],
            Short,
            (values, present, extra, unknown) =>
            {
                var parts = new List<string>();
                for (int i = 0; i < members.Length; i++)
                {
                    if (present[i] || extra < 3)
                    {
                        parts.Add($"{Json(members[i])}:{values[i]}");
                    }
                }

                if (extra == 9)
                {
                    parts.Add($"{Json(unknown)}:1");
                }
                else if (extra == 8 && members.Length > 0)
                {
                    parts.Add($"{Json(members[0])}:{values[0]}");
                }

                return "{" + string.Join(",", parts) + "}";
            });

    /// <summary>Bytes of a body: a JSON object shape, mutated, deeply nested, or garbage.</summary>
    public static Gen<byte[]> Body(Gen<string> validShape) => Gen.Frequency(
        (6, validShape.Select(s => Encoding.UTF8.GetBytes(s))),
        (2, Gen.Select(validShape, Gen.Int[0, 1000], Gen.Byte, Mutate)),
        (1, Gen.Int[1, 200].Select(depth => Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)))),
        (1, Gen.Int[1, 200].Select(depth => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)))),
        (1, Gen.Byte.Array[0, 300]),
        (1, Gen.OneOf(
            "", " ", "null", "[]", "\"text\"", "1", "{", "}", "{\"loginEmail\":", "{\"a\" 1}", "{'a':1}", "{\"a\":1,}", "\u00ef\u00bb\u00bf{}",
            "{\"loginEmail\":\"\\ud800\"}", "{\"password\":\"\\u0000\"}", "{\"workspaces\":[null,1,{}]}").Select(s => Encoding.UTF8.GetBytes(s))),
        (1, Gen.Int[16 * 1024 - 64, 40 * 1024].Select(n => Encoding.UTF8.GetBytes("{\"loginEmail\":\"" + new string('a', n) + "\"}"))),
        (1, Gen.Byte.Array[1, 40].Select(bytes => Encoding.UTF8.GetBytes("{\"password\":\"").Concat(bytes.Select(b => (byte)(b | 0x80))).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray())));

    static byte[] Mutate(string shape, int position, byte value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(shape);
        if (bytes.Length == 0)
        {
            return [value];
        }

        int at = position % bytes.Length;
        return (position % 3) switch
        {
            0 => [.. bytes[..at], value, .. bytes[at..]],
            1 => [.. bytes[..at], .. bytes[(at + 1)..]],
            _ => [.. bytes[..at], value, .. bytes[(at + 1)..]],
        };
    }
}

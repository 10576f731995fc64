namespace ChorusFunctions.Http;

/// <summary>Signup ids are 32 lower-case hex digits; anything else is not looked up at all.</summary>
public static class SignupIds
{
    public static bool IsWellFormed(string? signupId) => signupId is { Length: 32 } && signupId.All(char.IsAsciiHexDigitLower);
}

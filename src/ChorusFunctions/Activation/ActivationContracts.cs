using ChorusFunctions.Signup;

namespace ChorusFunctions.Activation;

public sealed record ActivateAccountRequest(string? Password, string? PasswordConfirmation, string? SecretQuestion, string? SecretAnswer);

/// <summary>What the activation page shows: the account summary (Informations générales).</summary>
public sealed record ActivationView(string LoginEmail, string ContactEmail, string LastName, string FirstName, string? CompanyName);

public sealed record ActivationResult(string SignupId, SignupStatus Status);

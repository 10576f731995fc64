using ChorusFunctions.Security.Passwords;
using ChorusFunctions.Signup;

namespace ChorusFunctions.Activation;

public sealed record ActivateAccountRequest(string? Password, string? PasswordConfirmation, string? SecretQuestion, string? SecretAnswer);

/// <summary>Step 4 validated: a password the rules accept, and a secret question and answer.</summary>
internal sealed record ValidatedActivation(string Password, string SecretQuestion, string SecretAnswer)
{
    public static Outcome<ValidatedActivation> Validate(ActivateAccountRequest request, PasswordContext passwordContext)
    {
        var errors = new FieldErrors();
        // The guide's policy, common passwords, and the user's own names refused.
        string password = request.Password ?? "";
        foreach (string message in password.Length == 0 ? ["Saisissez un mot de passe."] : PasswordScreen.UnmetRules(password, passwordContext).Select(PasswordScreen.Message))
        {
            errors.Add("password", message);
        }

        if (request.PasswordConfirmation != request.Password)
        {
            errors.Add("passwordConfirmation", "La confirmation ne correspond pas au mot de passe.");
        }

        string? question = errors.Text("secretQuestion", request.SecretQuestion, 200, required: true, "Question secrète");
        if (question is { Length: < 3 })
        {
            errors.Add("secretQuestion", "La question secrète doit comporter au moins 3 caractères.");
        }

        string? answer = errors.Text("secretAnswer", request.SecretAnswer, 100, required: true, "Réponse");
        if (answer is not null && SecretHasher.NormalizeAnswer(answer).Length < 2)
        {
            errors.Add("secretAnswer", "La réponse doit comporter au moins 2 caractères.");
        }

        return errors.Any ? errors.ToProblem() : new ValidatedActivation(password, question!, answer!);
    }
}

/// <summary>What the activation page shows: the account summary (Informations générales).</summary>
public sealed record ActivationView(string LoginEmail, string ContactEmail, string LastName, string FirstName, string? CompanyName);

public sealed record ActivationResult(string SignupId, SignupStatus Status);

namespace ChorusFunctions.Security.ProofOfWork;

/// <summary>Step 1 without a valid proof of work. The front end solves a new one when the user submits again.</summary>
public static class ProofOfWorkProblems
{
    public static ApiProblem Invalid() => new()
    {
        Title = "Vérification automatique incorrecte",
        Status = 400,
        Code = ErrorCodes.ProofOfWorkInvalid,
        Detail = "La vérification automatique faite par votre navigateur est absente ou incorrecte. Rechargez la page puis cliquez de nouveau sur «\u00a0Suivant\u00a0».",
    };

    public static ApiProblem Expired() => new()
    {
        Title = "Vérification automatique expirée",
        Status = 422,
        Code = ErrorCodes.ProofOfWorkExpired,
        Detail = "La vérification automatique faite par votre navigateur a expiré ou a déjà servi. Cliquez de nouveau sur «\u00a0Suivant\u00a0» : une nouvelle vérification sera faite.",
    };
}

namespace ChorusFunctions.Signup;

/// <summary>Collects per-field French messages; becomes a 400 problem with <c>errors</c> when not empty.</summary>
public sealed class FieldErrors
{
    readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out List<string>? messages))
        {
            errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Trims a free-text value and checks presence, length and characters. Returns null when absent.</summary>
    public string? Text(string field, string? value, int maxLength, bool required, string label)
    {
        string? Refuse(string why)
        {
            Add(field, $"Le champ « {label} » {why}.");
            return null;
        }

        // Ill-formed UTF-16 (a lone surrogate) cannot be normalised or stored faithfully.
        if (value is not null && !Http.UnicodeText.IsWellFormed(value))
        {
            return Refuse("contient des caractères non autorisés");
        }

        string? trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim().Normalize(NormalizationForm.FormC);
        return trimmed is null ? (required ? Refuse("est obligatoire") : null)
            : trimmed.Length > maxLength ? Refuse($"ne doit pas dépasser {maxLength} caractères")
            : trimmed.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c)
                is UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse)
                ? Refuse("contient des caractères non autorisés")
            : trimmed;
    }

    public ApiProblem ToProblem() =>
        ApiProblem.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}

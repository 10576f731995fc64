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
        if (value is not null && !Http.UnicodeText.IsWellFormed(value))
        {
            // Ill-formed UTF-16 (a lone surrogate) cannot be normalised or stored faithfully.
            Add(field, $"Le champ « {label} » contient des caractères non autorisés.");
            return null;
        }

        string? trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim().Normalize(System.Text.NormalizationForm.FormC);
        if (trimmed is null)
        {
            if (required)
            {
                Add(field, $"Le champ « {label} » est obligatoire.");
            }

            return null;
        }

        if (trimmed.Length > maxLength)
        {
            Add(field, $"Le champ « {label} » ne doit pas dépasser {maxLength} caractères.");
            return null;
        }

        if (trimmed.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.Surrogate or System.Globalization.UnicodeCategory.OtherNotAssigned or System.Globalization.UnicodeCategory.PrivateUse))
        {
            Add(field, $"Le champ « {label} » contient des caractères non autorisés.");
            return null;
        }

        return trimmed;
    }

    public ApiProblem ToProblem() =>
        ApiProblem.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}

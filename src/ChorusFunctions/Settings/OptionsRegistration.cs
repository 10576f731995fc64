namespace ChorusFunctions.Settings;

/// <summary>
/// The one way options are bound: a section, checked at start-up by its data annotations (and, for rules across
/// settings, the class's <see cref="IValidatableObject"/>), so a bad setting stops the host, not the first request.
/// </summary>
internal static class OptionsRegistration
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class =>
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
}

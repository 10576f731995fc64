namespace ChorusFunctions.Settings;

/// <summary>Options bound from a section and validated at start-up, so a bad setting stops the host, not the first request.</summary>
internal static class OptionsRegistration
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class =>
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
}

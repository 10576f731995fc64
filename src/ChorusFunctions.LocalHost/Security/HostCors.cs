using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.LocalHost.Security;

/// <summary>
/// CORS of the local host, limited to <c>Host__CorsOrigins</c> (comma-separated, or an array). Without it nothing is
/// allowed cross-origin: the front end is served from the same origin. A wildcard is refused at start-up. In Azure the
/// Function App has no CORS and no such setting: the browser reaches the API through the static web app's linked
/// backend, on the front end's own origin, and the link makes the Function App answer only through it.
/// </summary>
public static class HostCors
{
    public const string Setting = "Host:CorsOrigins";

    public static IReadOnlyList<string> Origins(IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection(Setting);
        IEnumerable<string?> values = section.Value is { } single ? single.Split(',') : section.GetChildren().Select(c => c.Value);
        var origins = new List<string>();
        foreach (string origin in values.Select(v => v?.Trim()).Where(v => !string.IsNullOrEmpty(v))!)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || origin.EndsWith('/'))
            {
                throw new InvalidOperationException(
                    $"Host__CorsOrigins: '{origin}' is not an origin (scheme://host[:port], no path, no wildcard).");
            }

            origins.Add(origin);
        }

        return origins;
    }

    public static IServiceCollection AddHostCors(this IServiceCollection services, IConfiguration configuration)
    {
        IReadOnlyList<string> origins = Origins(configuration);
        if (origins.Count > 0)
        {
            services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. origins])
                .WithMethods("GET", "POST", "PUT")
                .WithHeaders("Content-Type", "Accept-Language")
                .WithExposedHeaders("Location", "Retry-After")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        }

        return services;
    }

    public static IApplicationBuilder UseHostCors(this IApplicationBuilder app, IConfiguration configuration) =>
        Origins(configuration).Count > 0 ? app.UseCors() : app;
}

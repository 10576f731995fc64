using ChorusFunctions;
using ChorusFunctions.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;

// The Functions host (Azure, or `func start` where Core Tools exist). The local host registers the same services.
FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// Inside the ASP.NET Core integration's own middleware, which executes the IActionResult this one puts in place of a failure.
builder.UseMiddleware<ApiResponseMiddleware>();
builder.Services.AddChorusFunctions(builder.Configuration);
builder.Services.AddFunctionsTelemetry(builder.Logging, builder.Configuration);
builder.Build().Run();

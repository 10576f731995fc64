using ChorusFunctions;
using ChorusFunctions.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The Functions host (Azure, or `func start` where Core Tools exist). The local host registers the same services.
FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddChorusFunctions(builder.Configuration);
builder.Services.AddFunctionsTelemetry(builder.Logging, builder.Configuration);
builder.Build().Run();

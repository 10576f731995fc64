// The framework and package namespaces the features share, and the two bottom-most project namespaces every trigger
// uses (the HTTP edge and the guard). Other project namespaces stay explicit, so a file shows which features it uses.
global using System.Collections.Frozen;
global using System.ComponentModel.DataAnnotations;
global using System.Diagnostics.CodeAnalysis;
global using System.Globalization;
global using System.Security.Cryptography;
global using System.Text;
global using System.Text.Json;
global using System.Text.Json.Serialization;
global using Azure;
global using Azure.Data.Tables;
global using ChorusFunctions.Http;
global using ChorusFunctions.Security;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Mvc;
global using Microsoft.Azure.Functions.Worker;
global using Microsoft.DurableTask;
global using Microsoft.DurableTask.Client;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Hosting;
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Options;

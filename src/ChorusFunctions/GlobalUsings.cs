// What every HTTP trigger uses: the request and its result, the function attributes, the Durable client, the guard.
global using ChorusFunctions.Http;
global using ChorusFunctions.Security;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Mvc;
global using Microsoft.Azure.Functions.Worker;
global using Microsoft.DurableTask.Client;

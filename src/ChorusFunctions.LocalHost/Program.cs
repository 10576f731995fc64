using ChorusFunctions.LocalHost;

await LocalHostApplication.Build(args).RunAsync();

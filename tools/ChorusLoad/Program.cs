using ChorusLoad;
using ChorusLoad.Faults;

Console.OutputEncoding = System.Text.Encoding.UTF8;
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (options.Command != "faults")
{
    Console.Error.WriteLine("only the faults command exists so far");
    return 2;
}

return await FaultRun.RunAsync(options, cancel.Token);

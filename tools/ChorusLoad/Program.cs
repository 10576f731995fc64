using ChorusLoad;
using ChorusLoad.Bench;
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

return options.Command == "faults"
    ? await FaultRun.RunAsync(options, cancel.Token)
    : await BenchRun.RunAsync(options, cancel.Token);

using GitOps.Controller.Hosting;

// gitops-controller: see `docs/architecture.md`. Flags: --applications FILE, --state-dir DIR, --kubeconfig FILE,
// --tokens FILE, --grpc-listen HOST:PORT, --http-listen HOST:PORT, --interval 00:03:00, --log-format json.
try
{
    await ControllerHost.Build(args).RunAsync();
    return 0;
}
catch (Exception e) when (e is InvalidDataException or InvalidOperationException or IOException)
{
    await Console.Error.WriteLineAsync($"gitops-controller: {e.Message}");
    return 2;
}

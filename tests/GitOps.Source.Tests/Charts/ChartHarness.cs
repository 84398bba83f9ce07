using GitOps.Source.Charts;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Source.Tests.Charts;

/// <summary>A chart repository over real HTTP plus a <see cref="ChartSource"/> with its own cache and credentials file.</summary>
internal sealed class ChartHarness : IDisposable
{
    private ChartSource? source;

    public ChartHarness(Func<ChartSourceOptions, ChartSourceOptions>? configure = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "gitops-charts-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        CredentialsFile = Path.Combine(Directory, "credentials");
        Options = (configure ?? (o => o))(new ChartSourceOptions
        {
            CacheDirectory = Path.Combine(Directory, "cache"),
            CredentialsFile = CredentialsFile,
            RequestTimeout = TimeSpan.FromSeconds(10),
        });
    }

    public ChartRepositoryServer Server { get; } = new();

    public string Directory { get; }

    public string CredentialsFile { get; }

    public ChartSourceOptions Options { get; }

    public ChartSource Source => source ??= new ChartSource(Options, NullLogger<ChartSource>.Instance);

    public static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    /// <summary>A fresh ChartSource over the same cache directory (a controller restart).</summary>
    public ChartSource Restart()
    {
        source?.Dispose();
        source = null;
        return Source;
    }

    public static PackagedChart Chart(string name, string version) =>
        HelmCharts.Package(name, version, "replicas: 1\n", ("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  v: \"{{ .Chart.Version }}\"\n"));

    public void Dispose()
    {
        source?.Dispose();
        Server.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace GitOps.Testing;

/// <summary>A packaged chart as `helm package` writes it: a gzipped tar whose entries all live under the chart's name.</summary>
public sealed record PackagedChart(string Name, string Version, byte[] Archive, string? AppVersion = null)
{
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Archive));

    public string FileName => $"{Name}-{Version}.tgz";
}

/// <summary>Charts and chart repository indexes in Helm's documented formats (chart_template_guide, chart_repository):
/// archives with one top directory, index.yaml with apiVersion v1, entries by name, digest (SHA-256 hex) and urls.</summary>
public static class HelmCharts
{
    /// <summary>A chart with Chart.yaml (apiVersion v2), values.yaml and the given templates.</summary>
    public static PackagedChart Package(string name, string version, string values,
        params (string Path, string Content)[] templates)
    {
        var chartYaml = $"apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: \"v{version}\"\ndescription: test chart {name}\ntype: application\n";
        IEnumerable<(string, byte[])> files = [("Chart.yaml", Encoding.UTF8.GetBytes(chartYaml)), ("values.yaml", Encoding.UTF8.GetBytes(values)),
            .. templates.Select(t => ("templates/" + t.Path, Encoding.UTF8.GetBytes(t.Content)))];
        return new PackagedChart(name, version, Archive(files.Select(f => new TarEntrySpec(name + "/" + f.Item1, f.Item2))), "v" + version);
    }

    /// <summary>A raw archive: entries exactly as given (hostile ones too).</summary>
    public static byte[] Archive(IEnumerable<TarEntrySpec> entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var e in entries)
            {
                var entry = new PaxTarEntry(e.Type, e.Name) { ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) };
                if (e.LinkTarget is not null)
                {
                    entry.LinkName = e.LinkTarget;
                }
                else if (e.Type == TarEntryType.RegularFile)
                {
                    entry.DataStream = new MemoryStream(e.Data ?? []);
                }

                tar.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    /// <summary>index.yaml for the charts, archive URLs relative to the repository unless <paramref name="url"/> says otherwise.</summary>
    public static string Index(IEnumerable<PackagedChart> charts, Func<PackagedChart, string>? url = null)
    {
        var text = new StringBuilder("apiVersion: v1\nentries:\n");
        foreach (var group in charts.GroupBy(c => c.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {group.Key}:\n");
            foreach (var c in group)
            {
                text.Append(CultureInfo.InvariantCulture, $"""
                      - apiVersion: v2
                        appVersion: {c.AppVersion ?? "1.0"}
                        created: "2024-01-01T00:00:00.000000000Z"
                        description: test chart {c.Name}
                        digest: {c.Digest}
                        maintainers:
                        - email: dev@example.com
                          name: dev
                        name: {c.Name}
                        type: application
                        urls:
                        - {(url ?? (p => p.FileName))(c)}
                        version: {c.Version}

                    """);
            }
        }

        text.Append("generated: \"2024-01-01T00:00:00.000000000Z\"\n");
        return text.ToString();
    }
}

/// <summary>One tar entry: a file (Data), a directory, or a link (LinkTarget).</summary>
public sealed record TarEntrySpec(string Name, byte[]? Data = null, TarEntryType Type = TarEntryType.RegularFile, string? LinkTarget = null);

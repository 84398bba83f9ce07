using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Source.Charts;

/// <summary>One chart version as a repository's index.yaml lists it (only the fields resolution needs).</summary>
public sealed record ChartVersionEntry(string Name, string Version, string? Digest, IReadOnlyList<string> Urls,
    DateTimeOffset? Created, string? AppVersion);

/// <summary>
/// A chart repository's index.yaml (Helm's <c>repo.IndexFile</c>): chart name → versions. Read with a streaming
/// YAML parser that keeps only name, version, digest, urls, created and appVersion, so an index of Bitnami's size
/// (~20 MB) is parsed without building a document tree.
/// </summary>
public sealed class ChartIndex
{
    private readonly Dictionary<string, List<ChartVersionEntry>> entries;

    private ChartIndex(Dictionary<string, List<ChartVersionEntry>> entries) => this.entries = entries;

    public IEnumerable<string> Charts => entries.Keys;

    public int VersionCount => entries.Values.Sum(v => v.Count);

    public IReadOnlyList<ChartVersionEntry> Versions(string chart) =>
        entries.TryGetValue(chart, out var list) ? list : [];

    /// <summary>Parses index.yaml; a malformed index is an error naming line and column.</summary>
    public static ChartIndex Parse(TextReader reader, string where)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var result = new Dictionary<string, List<ChartVersionEntry>>(StringComparer.Ordinal);
        var parser = new Parser(reader);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                throw new GitSourceException(GitSourceErrorKind.InvalidContent, $"{where}: empty index");
            }

            parser.Consume<DocumentStart>();
            if (!parser.TryConsume<MappingStart>(out _))
            {
                throw new GitSourceException(GitSourceErrorKind.InvalidContent, $"{where}: not a chart repository index (expected a mapping)");
            }

            var sawEntries = false;
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>().Value;
                if (key == "entries")
                {
                    sawEntries = true;
                    ReadEntries(parser, result);
                }
                else
                {
                    parser.SkipThisAndNestedEvents();
                }
            }

            if (!sawEntries)
            {
                throw new GitSourceException(GitSourceErrorKind.InvalidContent, $"{where}: not a chart repository index (no entries)");
            }
        }
        catch (YamlException e)
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidContent,
                $"{where}:{e.Start.Line}:{e.Start.Column}: invalid index: {e.Message}", e);
        }

        return new ChartIndex(result);
    }

    /// <summary>The version <paramref name="requested"/> names (<see cref="ChartVersions.Select{T}"/>).</summary>
    public ChartVersionEntry? Select(string chart, string requested) => ChartVersions.Select(Versions(chart), v => v.Version, requested);

    private static void ReadEntries(IParser parser, Dictionary<string, List<ChartVersionEntry>> result)
    {
        if (parser.TryConsume<Scalar>(out _))
        {
            return; // "entries: {}" spelled as null
        }

        parser.Consume<MappingStart>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var name = parser.Consume<Scalar>().Value;
            if (parser.TryConsume<Scalar>(out _))
            {
                continue;
            }

            var list = result.TryGetValue(name, out var existing) ? existing : result[name] = [];
            parser.Consume<SequenceStart>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                if (ReadVersion(parser, name) is { } entry)
                {
                    list.Add(entry);
                }
            }
        }
    }

    private static ChartVersionEntry? ReadVersion(IParser parser, string chart)
    {
        parser.Consume<MappingStart>();
        string? version = null, digest = null, appVersion = null, name = null;
        DateTimeOffset? created = null;
        List<string> urls = [];
        var removed = false;
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Consume<Scalar>().Value;
            switch (key)
            {
                case "version" when parser.TryConsume<Scalar>(out var s):
                    version = s.Value;
                    break;
                case "name" when parser.TryConsume<Scalar>(out var s):
                    name = s.Value;
                    break;
                case "digest" when parser.TryConsume<Scalar>(out var s):
                    digest = s.Value;
                    break;
                case "appVersion" when parser.TryConsume<Scalar>(out var s):
                    appVersion = s.Value;
                    break;
                case "removed" when parser.TryConsume<Scalar>(out var s):
                    removed = s.Value == "true";
                    break;
                case "created" when parser.TryConsume<Scalar>(out var s):
                    created = DateTimeOffset.TryParse(s.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                        ? at : null;
                    break;
                case "urls" when parser.TryConsume<SequenceStart>(out _):
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        if (parser.TryConsume<Scalar>(out var u))
                        {
                            urls.Add(u.Value);
                        }
                        else
                        {
                            parser.SkipThisAndNestedEvents();
                        }
                    }

                    break;
                default:
                    parser.SkipThisAndNestedEvents();
                    break;
            }
        }

        return version is null || removed ? null : new ChartVersionEntry(name ?? chart, version, digest, urls, created, appVersion);
    }
}

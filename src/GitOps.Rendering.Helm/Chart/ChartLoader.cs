using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using GitOps.Templating;
using GitOps.Templating.Serialization;

namespace GitOps.Rendering.Helm.Chart;

/// <summary>Loads a chart directory (or a .tgz subchart) without ever reading outside the repository root:
/// no symlink may resolve outside it, archive entries may not contain ".." or absolute paths, sizes are bounded.</summary>
internal static class ChartLoader
{
    private const long MaxFileBytes = 16L * 1024 * 1024;
    private const long MaxTotalBytes = 128L * 1024 * 1024;
    private const int MaxFiles = 20_000;

    public static ChartData LoadDirectory(string repositoryRoot, string chartDirectory, CancellationToken ct)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var dir = Path.GetFullPath(chartDirectory);
        PathGuard.EnsureInside(root, dir, chartDirectory);
        PathGuard.EnsureRealPathInside(root, dir, chartDirectory);
        if (!File.Exists(Path.Combine(dir, "Chart.yaml")))
            throw new RenderException("Chart.yaml file is missing", Path.GetRelativePath(root, dir));
        var files = new List<ChartFile>();
        long total = 0;
        Collect(root, dir, "", files, () => total, v => total = v, 0, ct);
        return Build(files, Path.GetRelativePath(root, dir));
    }

    /// <summary>Adds dependency charts fetched outside charts/ (`helm dependency build`'s result): archives by path,
    /// directories only inside the repository. A dependency charts/ already holds (by chart name) is kept.</summary>
    public static void AddDependencies(ChartData chart, string repositoryRoot, IReadOnlyList<string> paths, CancellationToken ct)
    {
        foreach (var path in paths)
        {
            ct.ThrowIfCancellationRequested();
            var child = Directory.Exists(path)
                ? LoadDirectory(repositoryRoot, path, ct)
                : Build(ReadArchive(new ChartFile(Path.GetFileName(path), File.ReadAllBytes(path)), "charts"), "charts/" + Path.GetFileName(path));
            if (chart.Dependencies.Any(d => d.Metadata.Name == child.Metadata.Name)) continue;
            child.Parent = chart;
            chart.Dependencies.Add(child);
        }
    }

    private static void Collect(string root, string dir, string prefix, List<ChartFile> files,
        Func<long> getTotal, Action<long> setTotal, int depth, CancellationToken ct)
    {
        if (depth > 32) throw new RenderException("chart directory nesting is too deep", prefix);
        var entries = Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal).ToList();
        foreach (var entry in entries)
        {
            ct.ThrowIfCancellationRequested();
            var name = Path.GetFileName(entry);
            var rel = prefix.Length == 0 ? name : prefix + "/" + name;
            var info = new FileInfo(entry);
            var isLink = info.LinkTarget is not null;
            if (isLink) PathGuard.EnsureRealPathInside(root, entry, rel);
            if (Directory.Exists(entry))
            {
                Collect(root, entry, rel, files, getTotal, setTotal, depth + 1, ct);
                continue;
            }
            if (!File.Exists(entry)) continue;
            var length = new FileInfo(isLink ? Path.GetFullPath(info.ResolveLinkTarget(true)!.FullName) : entry).Length;
            if (length > MaxFileBytes) throw new RenderException($"file is larger than {MaxFileBytes} bytes", rel);
            setTotal(getTotal() + length);
            if (getTotal() > MaxTotalBytes) throw new RenderException($"chart is larger than {MaxTotalBytes} bytes", rel);
            if (files.Count >= MaxFiles) throw new RenderException($"chart has more than {MaxFiles} files", rel);
            // Synchronous reads: this runs on a pool thread already and the files are small.
            files.Add(new ChartFile(rel, File.ReadAllBytes(entry)));
        }
    }

    /// <summary>Builds a chart from its files (paths relative to the chart root).</summary>
    public static ChartData Build(IReadOnlyList<ChartFile> all, string where)
    {
        var ignore = HelmIgnore.Parse(all.FirstOrDefault(f => f.Name == ".helmignore")?.Data);
        var chartYaml = all.FirstOrDefault(f => f.Name == "Chart.yaml") ?? throw new RenderException("Chart.yaml file is missing", where);
        var raw = ReadMap(chartYaml, where);
        if (raw.GetValueOrDefault("name") is not string { Length: > 0 } name) throw new RenderException("validation: chart.metadata.name is required", where + "/Chart.yaml");
        if (raw.GetValueOrDefault("version") is null) throw new RenderException("validation: chart.metadata.version is required", where + "/Chart.yaml");
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
            throw new RenderException($"chart.metadata.name {GoFormat.Quote(name)} is invalid", where + "/Chart.yaml");
        var depsSource = raw.GetValueOrDefault("apiVersion") as string == "v1"
            ? all.FirstOrDefault(f => f.Name == "requirements.yaml") is { } req ? ReadMap(req, where).GetValueOrDefault("dependencies") : null
            : raw.GetValueOrDefault("dependencies");
        var deps = (depsSource as List<object?> ?? []).OfType<Dictionary<string, object?>>().Select(ChartDependency.From).ToList();

        var templates = new List<ChartFile>();
        var files = new List<ChartFile>();
        var subDirs = new SortedDictionary<string, List<ChartFile>>(StringComparer.Ordinal);
        var archives = new List<ChartFile>();
        Dictionary<string, object?>? values = null;
        string? schema = null;
        foreach (var f in all)
        {
            if (ignore.IsIgnored(f.Name)) continue;
            switch (f.Name)
            {
                case "Chart.yaml" or "Chart.lock" or "requirements.yaml" or "requirements.lock" or ".helmignore": continue;
                case "values.yaml":
                    values = ReadValues(f, where);
                    continue;
                case "values.schema.json":
                    schema = Encoding.UTF8.GetString(f.Data);
                    continue;
            }
            if (f.Name.StartsWith("templates/", StringComparison.Ordinal)) { templates.Add(f); continue; }
            if (f.Name.StartsWith("charts/", StringComparison.Ordinal))
            {
                var rest = f.Name["charts/".Length..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0)
                {
                    if (rest.EndsWith(".tgz", StringComparison.Ordinal) || rest.EndsWith(".tar.gz", StringComparison.Ordinal)) archives.Add(f);
                    continue;
                }
                var sub = rest[..slash];
                if (!subDirs.TryGetValue(sub, out var list)) subDirs[sub] = list = [];
                list.Add(f with { Name = rest[(slash + 1)..] });
                continue;
            }
            files.Add(f);
        }
        var chart = new ChartData
        {
            Metadata = new ChartMetadata(raw, deps),
            Templates = templates,
            Files = files,
            Values = values ?? GoValues.NewMap(),
            Schema = schema,
        };
        foreach (var (sub, subFiles) in subDirs)
        {
            if (!subFiles.Any(x => x.Name == "Chart.yaml")) continue;
            var child = Build(subFiles, where + "/charts/" + sub);
            child.Parent = chart;
            chart.Dependencies.Add(child);
        }
        foreach (var archive in archives)
        {
            var child = Build(ReadArchive(archive, where), where + "/" + archive.Name);
            child.Parent = chart;
            chart.Dependencies.Add(child);
        }
        return chart;
    }

    private static Dictionary<string, object?> ReadMap(ChartFile f, string where)
    {
        try
        {
            return GoYamlReader.Read(Encoding.UTF8.GetString(f.Data), numbersAsFloat: true) as Dictionary<string, object?> ?? GoValues.NewMap();
        }
        catch (YamlReadException e)
        {
            throw new RenderException(e.Message, where + "/" + f.Name, e.Line, e.Column);
        }
    }

    private static Dictionary<string, object?> ReadValues(ChartFile f, string where)
    {
        try
        {
            return Values.Parse(Encoding.UTF8.GetString(f.Data));
        }
        catch (YamlReadException e)
        {
            throw new RenderException(e.Message, where + "/" + f.Name, e.Line, e.Column);
        }
    }

    /// <summary>Reads a packaged chart: entries live under one top directory, which is stripped.</summary>
    private static List<ChartFile> ReadArchive(ChartFile archive, string where)
    {
        var result = new List<ChartFile>();
        long total = 0;
        try
        {
            using var gz = new GZipStream(new MemoryStream(archive.Data), CompressionMode.Decompress);
            using var tar = new TarReader(gz);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                var name = entry.Name.Replace('\\', '/');
                if (name.StartsWith('/') || name.Split('/').Any(p => p == ".."))
                    throw new RenderException($"archive entry {GoFormat.Quote(name)} escapes the chart", where + "/" + archive.Name);
                var slash = name.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0) continue;
                if (entry.Length > MaxFileBytes || (total += entry.Length) > MaxTotalBytes)
                    throw new RenderException("archive is too large", where + "/" + archive.Name);
                using var ms = new MemoryStream();
                entry.DataStream?.CopyTo(ms);
                result.Add(new ChartFile(name[(slash + 1)..], ms.ToArray()));
            }
        }
        catch (InvalidDataException e)
        {
            throw new RenderException($"cannot read chart archive: {e.Message}", where + "/" + archive.Name);
        }
        return result;
    }
}

/// <summary>.helmignore: shell globs per line, "dir/" for directories, "#" comments.</summary>
internal sealed class HelmIgnore
{
    private readonly List<(Regex Pattern, bool DirOnly, bool Negate)> _rules = [];

    public static HelmIgnore Parse(byte[]? data)
    {
        var h = new HelmIgnore();
        if (data is null) return h;
        foreach (var raw in Encoding.UTF8.GetString(data).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var negate = line.StartsWith('!');
            if (negate) line = line[1..];
            var dirOnly = line.EndsWith('/');
            line = line.Trim('/');
            if (line.Length == 0) continue;
            var rx = "^" + Regex.Escape(line).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal).Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$";
            h._rules.Add((new Regex(rx, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), dirOnly, negate));
        }
        return h;
    }

    public bool IsIgnored(string path)
    {
        if (_rules.Count == 0) return false;
        var parts = path.Split('/');
        var ignored = false;
        foreach (var (rx, dirOnly, negate) in _rules)
        {
            for (var i = 0; i < parts.Length; i++)
            {
                var isDir = i < parts.Length - 1;
                if (dirOnly && !isDir) continue;
                var prefix = string.Join('/', parts.Take(i + 1));
                if (rx.IsMatch(parts[i]) || rx.IsMatch(prefix)) { ignored = !negate; break; }
            }
        }
        return ignored;
    }
}

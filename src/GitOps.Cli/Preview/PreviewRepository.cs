using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using GitOps.Source;

namespace GitOps.Cli.Preview;

/// <summary>
/// The repository a preview compares: a local checkout (a CI job's working copy, read in place) or a URL (cloned
/// as a mirror into the cache directory). Revisions are resolved with git's own syntax (<c>origin/main</c>,
/// <c>HEAD~1</c>, <c>refs/pull/7/head</c>); the repository is known by its path and by its remotes' URLs, so apps
/// that name it by its https URL still match. Trees are written through the source stage's
/// <see cref="SnapshotWriter"/>, with the controller's limits and refusals.
/// </summary>
internal sealed partial class PreviewRepository
{
    private readonly GitCommand git;
    private readonly GitSourceOptions limits;

    private PreviewRepository(GitCommand git, GitSourceOptions limits, string location, IReadOnlySet<string> identities)
    {
        this.git = git;
        this.limits = limits;
        Location = location;
        Identities = identities;
    }

    /// <summary>The checkout's root or the URL as given (never shown with user info: see <see cref="Display"/>).</summary>
    public string Location { get; }

    /// <summary>Normalised URLs this repository is known by (<see cref="RepositoryUrl.Normalized"/>).</summary>
    public IReadOnlySet<string> Identities { get; }

    /// <summary>Display form: the normalised URL, never user info.</summary>
    public string Display => Identities.Order(StringComparer.Ordinal).FirstOrDefault(i => i.StartsWith("http", StringComparison.Ordinal))
                             ?? Identities.First();

    /// <summary>Opens a local checkout in place, or mirrors a URL into <paramref name="cacheDirectory"/> (fetching
    /// into the mirror a previous run left there).</summary>
    public static async Task<PreviewRepository> OpenAsync(string pathOrUrl, string cacheDirectory, CancellationToken cancellationToken)
    {
        var limits = new GitSourceOptions { CacheDirectory = cacheDirectory };
        if (Directory.Exists(pathOrUrl))
        {
            var full = Path.GetFullPath(pathOrUrl);
            string[] facts;
            try
            {
                facts = (await GitCommand.RunAsync(["-C", full, "rev-parse", "--absolute-git-dir", "--is-bare-repository"], cancellationToken))
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (GitSourceException)
            {
                throw new GitSourceException(GitSourceErrorKind.InvalidUrl, $"{pathOrUrl}: not inside a git repository");
            }

            var checkout = new GitCommand(facts[0]);
            var root = facts[1] == "true"
                ? facts[0]
                : (await GitCommand.RunAsync(["-C", full, "rev-parse", "--show-toplevel"], cancellationToken)).TrimEnd('\n');
            var identities = new HashSet<string>(StringComparer.Ordinal) { RepositoryUrl.Parse(root).Normalized };
            var remotes = await checkout.RunAsync(["config", "--get-regexp", @"^remote\..*\.url$"], cancellationToken, allowExitOne: true);
            foreach (var line in (remotes ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Split(' ', 2) is [_, var url] && Identity(url) is { } identity)
                {
                    identities.Add(identity);
                }
            }

            return new PreviewRepository(checkout, limits, root, identities);
        }

        var identitySet = new HashSet<string>(StringComparer.Ordinal) { RepositoryUrl.Parse(pathOrUrl).Normalized };
        var mirror = Path.Combine(cacheDirectory, "mirror.git");
        var repository = new GitCommand(mirror);
        if (Directory.Exists(mirror))
        {
            await repository.RunAsync(["fetch", "--quiet", "--prune", "origin"], cancellationToken);
        }
        else
        {
            Directory.CreateDirectory(cacheDirectory);
            await GitCommand.RunAsync(["clone", "--quiet", "--mirror", "--", pathOrUrl, mirror], cancellationToken);
        }

        return new PreviewRepository(repository, limits, pathOrUrl, identitySet);
    }

    /// <summary>True when an app's repoURL names this repository.</summary>
    public bool IsSourceOf(string repoUrl) => Identity(repoUrl) is { } identity && Identities.Contains(identity);

    /// <summary>The commit <paramref name="revision"/> names (anything git accepts), with its subject.</summary>
    public async Task<PreviewRevision> ResolveAsync(string revision, CancellationToken cancellationToken)
    {
        string? sha;
        try
        {
            sha = (await git.RunAsync(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"],
                cancellationToken, allowExitOne: true))?.Trim();
        }
        catch (GitSourceException)
        {
            sha = null;
        }

        if (string.IsNullOrEmpty(sha))
        {
            throw new GitSourceException(GitSourceErrorKind.RevisionNotFound, $"revision '{revision}' not found in {Display}");
        }

        var subject = (await git.RunAsync(["log", "-1", "--format=%s", sha], cancellationToken))!.TrimEnd('\n');
        return new PreviewRevision(revision, sha, subject);
    }

    /// <summary>Paths that differ between two commits (a rename counts as both of its paths).</summary>
    public async Task<IReadOnlyList<string>> GetChangedPathsAsync(string fromSha, string toSha, CancellationToken cancellationToken) =>
        (await git.RunAsync(["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", fromSha, toSha, "--"],
            cancellationToken))!.Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Writes the tree of <paramref name="sha"/> into a new directory under the cache: `ls-tree` lists it,
    /// one `cat-file --batch` streams the blobs (raw: no filters or attributes applied, as the controller sees them).</summary>
    public async Task<PreviewSnapshot> SnapshotAsync(string sha, CancellationToken cancellationToken)
    {
        var listing = (await git.RunAsync(["ls-tree", "-r", "-l", "-z", "--full-tree", sha], cancellationToken))!;
        var entries = listing.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(TreeEntry.Parse).ToList();
        var directory = Path.Combine(limits.CacheDirectory, "snapshot-" + sha[..12] + "-" + Guid.NewGuid().ToString("N")[..8]);
        var writer = new SnapshotWriter(limits, directory);
        try
        {
            writer.AddDirectory("");
            var blobs = entries.Where(e => e.Type == "blob").ToList();
            if (blobs.Count > 0)
            {
                await WriteBlobsAsync(writer, blobs, cancellationToken);
            }

            writer.Complete();
            return new PreviewSnapshot(directory);
        }
        catch
        {
            SnapshotWriter.Delete(directory);
            throw;
        }
    }

    private async Task WriteBlobsAsync(SnapshotWriter writer, IReadOnlyList<TreeEntry> blobs, CancellationToken cancellationToken)
    {
        using var process = git.Start(["cat-file", "--batch"]);
        using var kill = cancellationToken.Register(() => Kill(process));
        var requests = Task.Run(async () =>
        {
            try
            {
                foreach (var blob in blobs)
                {
                    await process.StandardInput.WriteAsync(blob.Oid + "\n");
                }
            }
            finally
            {
                process.StandardInput.Close();
            }
        }, CancellationToken.None);
        try
        {
            var output = new BufferedStream(process.StandardOutput.BaseStream, 1 << 16);
            foreach (var blob in blobs)
            {
                var header = ReadLine(output);
                if (header.Split(' ') is not [var oid, "blob", var sizeText] || oid != blob.Oid || !long.TryParse(sizeText, out var size))
                {
                    throw new GitSourceException(GitSourceErrorKind.Internal, $"git cat-file: unexpected answer '{header}' for '{blob.Path}'");
                }

                switch (blob.Mode)
                {
                    case "120000":
                        writer.AddLink(blob.Path, size, () => Encoding.UTF8.GetString(ReadExactly(output, size)));
                        break;
                    case "100644" or "100664" or "100755":
                        writer.AddFile(blob.Path, size, blob.Mode == "100755", file => Copy(output, file, size));
                        break;
                    default:
                        ReadExactly(output, size);
                        break;
                }

                if (output.ReadByte() != '\n')
                {
                    throw new GitSourceException(GitSourceErrorKind.Internal, $"git cat-file: answer for '{blob.Path}' not terminated");
                }
            }
        }
        catch
        {
            Kill(process);
            throw;
        }

        await requests;
        await process.WaitForExitAsync(cancellationToken);
    }

    private static string ReadLine(Stream stream)
    {
        var line = new List<byte>(64);
        for (var b = stream.ReadByte(); b != '\n'; b = stream.ReadByte())
        {
            if (b < 0 || line.Count > 512)
            {
                throw new GitSourceException(GitSourceErrorKind.Internal, "git cat-file: answer ended early");
            }

            line.Add((byte)b);
        }

        return Encoding.UTF8.GetString(line.ToArray());
    }

    private static byte[] ReadExactly(Stream stream, long size)
    {
        var bytes = new byte[size];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static void Copy(Stream from, Stream to, long size)
    {
        var buffer = new byte[(int)Math.Clamp(size, 1, 1 << 16)];
        for (var left = size; left > 0;)
        {
            var read = from.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                throw new GitSourceException(GitSourceErrorKind.Internal, "git cat-file: blob ended early");
            }

            to.Write(buffer, 0, read);
            left -= read;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>One line of <c>git ls-tree -r -l -z</c>: "MODE TYPE OID SIZE\tPATH".</summary>
    private sealed record TreeEntry(string Mode, string Type, string Oid, string Path)
    {
        public static TreeEntry Parse(string record)
        {
            var tab = record.IndexOf('\t', StringComparison.Ordinal);
            var meta = tab < 0 ? [] : record[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return meta.Length == 4
                ? new TreeEntry(meta[0], meta[1], meta[2], record[(tab + 1)..])
                : throw new GitSourceException(GitSourceErrorKind.Internal, $"git ls-tree: unexpected line '{record}'");
        }
    }

    /// <summary>The normalised identity of a URL; SSH forms count as their https twin (same host and path).</summary>
    private static string? Identity(string url)
    {
        var text = url.Trim();
        if (ScpLike().Match(text) is { Success: true } scp)
        {
            text = $"https://{scp.Groups["host"].Value}/{scp.Groups["path"].Value}";
        }
        else if (text.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(text, UriKind.Absolute, out var ssh))
        {
            text = $"https://{ssh.Host}{ssh.AbsolutePath}";
        }

        try
        {
            return RepositoryUrl.Parse(text).Normalized;
        }
        catch (GitSourceException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(?:[^@/]+@)?(?<host>[^:/]+):(?!//)(?<path>.+)$")]
    private static partial Regex ScpLike();
}

/// <summary>A tree written to disk for one preview; removed when disposed.</summary>
internal sealed class PreviewSnapshot(string root) : IDisposable
{
    public string Root => root;

    public void Dispose() => SnapshotWriter.Delete(root);
}

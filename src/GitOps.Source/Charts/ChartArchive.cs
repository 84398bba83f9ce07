using System.Formats.Tar;
using System.IO.Compression;

namespace GitOps.Source.Charts;

/// <summary>Caps on what one chart archive may unpack to.</summary>
internal sealed record ArchiveLimits(long MaxFileBytes, long MaxTotalBytes, int MaxFiles);

/// <summary>
/// Unpacks a packaged chart (.tgz: every entry under one top directory, which is stripped) into a directory.
/// Entries that would land outside it (<c>..</c>, absolute, backslashes), links that point out of the chart, device
/// files, more files or bytes than the limits (counted on the decompressed stream, so a gzip bomb stops at the cap)
/// are refused with <see cref="GitSourceErrorKind.UnsafeContent"/> or <see cref="GitSourceErrorKind.TooLarge"/>.
/// Links that stay inside are skipped, as Helm's loader reads no link targets.
/// </summary>
internal static class ChartArchive
{
    public static void Extract(byte[] archive, string destination, ArchiveLimits limits, string what)
    {
        var files = 0;
        long total = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(archive, writable: false), CompressionMode.Decompress);
            // Tar headers and padding come on top of file bytes; the stream cap stops a bomb before the tar reader
            // materialises anything, whatever the headers claim.
            using var capped = new CappedStream(gzip, limits.MaxTotalBytes + (limits.MaxFiles + 16L) * 1536, what);
            using var tar = new TarReader(capped);
            while (tar.GetNextEntry() is { } entry)
            {
                var relative = Relative(entry.Name, what);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        continue;
                    case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                        CheckLink(relative ?? "", entry.LinkName, entry.EntryType == TarEntryType.HardLink, what);
                        continue;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        break;
                    default:
                        throw new GitSourceException(GitSourceErrorKind.UnsafeContent,
                            $"{what}: archive entry '{entry.Name}' is a {entry.EntryType}, not a file");
                }

                if (relative is null)
                {
                    continue; // a file beside the chart's directory
                }

                if (++files > limits.MaxFiles)
                {
                    throw new GitSourceException(GitSourceErrorKind.TooLarge, $"{what}: archive has more than {limits.MaxFiles} files");
                }

                if (entry.Length > limits.MaxFileBytes)
                {
                    throw new GitSourceException(GitSourceErrorKind.TooLarge,
                        $"{what}: archive entry '{entry.Name}' is {entry.Length} bytes, more than the limit of {limits.MaxFileBytes}");
                }

                if ((total += entry.Length) > limits.MaxTotalBytes)
                {
                    throw new GitSourceException(GitSourceErrorKind.TooLarge,
                        $"{what}: archive unpacks to more than the limit of {limits.MaxTotalBytes} bytes");
                }

                var target = Path.Combine(destination, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (File.Exists(target))
                {
                    throw new GitSourceException(GitSourceErrorKind.UnsafeContent, $"{what}: archive entry '{entry.Name}' appears twice");
                }

                using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                {
                    entry.DataStream?.CopyTo(output);
                }

                SnapshotWriter.SetReadOnly(target, isDirectory: false);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidContent, $"{what}: not a readable chart archive (.tgz): {e.Message}", e);
        }

        if (!File.Exists(Path.Combine(destination, "Chart.yaml")))
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidContent, $"{what}: archive has no Chart.yaml in its top directory");
        }
    }

    /// <summary>The entry's path below the top directory, null for the top directory itself or a file beside it.</summary>
    private static string? Relative(string name, string what)
    {
        if (name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) || name.StartsWith('/'))
        {
            throw Escapes(name, what);
        }

        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p is ".." or "."))
        {
            throw Escapes(name, what);
        }

        return parts.Length < 2 ? null : string.Join('/', parts[1..]);
    }

    private static void CheckLink(string relative, string target, bool hard, string what)
    {
        // A hard link names a path from the archive root, a symlink one relative to the link's directory.
        var depth = hard ? 0 : relative.Split('/').Length - 1;
        if (target.StartsWith('/') || target.Contains('\\', StringComparison.Ordinal))
        {
            throw Escapes($"{relative} -> {target}", what);
        }

        foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            depth += part switch { ".." => -1, "." => 0, _ => 1 };
            if (depth < 0)
            {
                throw Escapes($"{relative} -> {target}", what);
            }
        }
    }

    private static GitSourceException Escapes(string entry, string what) =>
        new(GitSourceErrorKind.UnsafeContent, $"{what}: archive entry '{entry}' escapes the chart directory");

    /// <summary>A read-only stream that fails once more than <c>max</c> bytes came out of it.</summary>
    private sealed class CappedStream(Stream inner, long max, string what) : Stream
    {
        private long read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int n)
        {
            if ((read += n) > max)
            {
                throw new GitSourceException(GitSourceErrorKind.TooLarge,
                    $"{what}: archive decompresses to more than {max} bytes (a decompression bomb?)");
            }

            return n;
        }
    }
}

namespace GitOps.Source.Tests;

public sealed class SnapshotTests : IDisposable
{
    private readonly SourceHarness h = new(new GitSourceOptions
    {
        CacheDirectory = "unused",
        MaxFileBytes = 64 * 1024,
        MaxSnapshotBytes = 256 * 1024,
    });

    public void Dispose() => h.Dispose();

    private async Task<string> PushAsync(string message, params (string, string)[] files)
    {
        var sha = h.Repo.CommitFiles(message, files);
        h.Repo.Push("main");
        await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);
        return sha;
    }

    [Fact]
    public async Task Snapshot_holds_the_commit_tree_read_only_at_a_random_path()
    {
        h.Repo.WriteFile("scripts/run.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(h.Repo.WorkPath, "scripts/run.sh"), (UnixFileMode)0b111_101_101);
        var sha = await PushAsync("one", ("apps/a/deploy.yaml", "kind: Deployment\n"), ("README.md", "hi\n"));

        using var lease = await h.Source.GetSnapshotAsync(h.Url, sha, null, SourceHarness.Timeout);
        Assert.Equal(lease.Root, lease.Path);
        Assert.Equal("kind: Deployment\n", await File.ReadAllTextAsync(Path.Combine(lease.Root, "apps/a/deploy.yaml")));
        Assert.Matches("^[0-9a-f]{32}$", Path.GetFileName(lease.Root));
        Assert.DoesNotContain(sha[..7], lease.Root, StringComparison.Ordinal);
        var mode = File.GetUnixFileMode(Path.Combine(lease.Root, "scripts/run.sh"));
        Assert.True(mode.HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(lease.Root, "README.md")).HasFlag(UnixFileMode.UserWrite));
        Assert.False(File.GetUnixFileMode(Path.Combine(lease.Root, "apps")).HasFlag(UnixFileMode.UserWrite));

        // The same commit is served from the same directory; another commit gets another one.
        using var again = await h.Source.GetSnapshotAsync(h.Url, sha[..10], null, SourceHarness.Timeout);
        Assert.Equal(lease.Root, again.Root);
        var next = await PushAsync("two", ("README.md", "changed\n"));
        using var other = await h.Source.GetSnapshotAsync(h.Url, next, null, SourceHarness.Timeout);
        Assert.NotEqual(lease.Root, other.Root);
        Assert.Equal("hi\n", await File.ReadAllTextAsync(Path.Combine(lease.Root, "README.md")));
    }

    [Fact]
    public async Task A_sub_path_snapshot_holds_only_that_directory_in_place()
    {
        var sha = await PushAsync("one", ("apps/a/deploy.yaml", "a\n"), ("apps/b/deploy.yaml", "b\n"));
        using var lease = await h.Source.GetSnapshotAsync(h.Url, sha, "apps/a/", SourceHarness.Timeout);
        Assert.Equal(Path.Combine(lease.Root, "apps/a"), lease.Path);
        Assert.True(File.Exists(Path.Combine(lease.Path, "deploy.yaml")));
        Assert.False(Directory.Exists(Path.Combine(lease.Root, "apps/b")));

        var missing = await Assert.ThrowsAsync<GitSourceException>(
            () => h.Source.GetSnapshotAsync(h.Url, sha, "apps/zzz", SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.PathNotFound, missing.Kind);
        var escaping = await Assert.ThrowsAsync<GitSourceException>(
            () => h.Source.GetSnapshotAsync(h.Url, sha, "../etc", SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.UnsafeContent, escaping.Kind);
    }

    [Theory]
    [InlineData("apps/a/values.yaml", "../../../etc/passwd")]
    [InlineData("values.yaml", "/etc/passwd")]
    [InlineData("apps/a/link", "../../..")]
    public async Task Symlinks_leaving_the_repository_are_refused(string link, string target)
    {
        h.Repo.WriteFile("apps/a/deploy.yaml", "a\n");
        File.CreateSymbolicLink(Path.Combine(h.Repo.WorkPath, link), target);
        var sha = await PushAsync("hostile symlink");

        var error = await Assert.ThrowsAsync<GitSourceException>(
            () => h.Source.GetSnapshotAsync(h.Url, sha, null, SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.UnsafeContent, error.Kind);
        Assert.Contains(link, error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the repository", error.Message, StringComparison.Ordinal);
        // Nothing half-written is left behind.
        Assert.Empty(Directory.GetDirectories(Assert.Single(Directory.GetDirectories(Path.Combine(h.CacheDirectory, "snapshots")))));
    }

    [Theory]
    [InlineData(".git")]
    [InlineData(".GIT")]
    [InlineData("..")]
    public async Task Crafted_trees_with_dangerous_entry_names_are_refused(string name)
    {
        h.Repo.CommitFiles("base", ("ok.yaml", "a\n"));
        var blob = h.Repo.Git("rev-parse", "HEAD:ok.yaml");
        var inner = RunWithInput(h.Repo.WorkPath, $"100644 blob {blob}\tconfig\n", "mktree");
        var tree = RunWithInput(h.Repo.WorkPath, $"040000 tree {inner}\t{name}\n100644 blob {blob}\tok.yaml\n", "mktree");
        var commit = h.Repo.Git("commit-tree", tree, "-p", "HEAD", "-m", "crafted");
        h.Repo.Git("update-ref", "refs/heads/main", commit);
        h.Repo.Push("main");
        await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);

        var error = await Assert.ThrowsAsync<GitSourceException>(
            () => h.Source.GetSnapshotAsync(h.Url, commit, null, SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.UnsafeContent, error.Kind);
    }

    private static string RunWithInput(string directory, string input, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git", args)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        using var process = System.Diagnostics.Process.Start(psi)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    [Fact]
    public async Task Symlinks_inside_the_repository_are_kept()
    {
        h.Repo.WriteFile("base/values.yaml", "shared: true\n");
        Directory.CreateDirectory(Path.Combine(h.Repo.WorkPath, "apps/a"));
        File.CreateSymbolicLink(Path.Combine(h.Repo.WorkPath, "apps/a/values.yaml"), "../../base/values.yaml");
        var sha = await PushAsync("inner symlink");

        using var lease = await h.Source.GetSnapshotAsync(h.Url, sha, null, SourceHarness.Timeout);
        Assert.Equal("shared: true\n", await File.ReadAllTextAsync(Path.Combine(lease.Root, "apps/a/values.yaml")));
    }

    [Fact]
    public async Task A_snapshot_of_one_path_refuses_a_symlink_leaving_that_path()
    {
        // It would dangle there (the controller then renders from the whole tree, where the link is kept).
        h.Repo.WriteFile("base/values.yaml", "shared: true\n");
        h.Repo.WriteFile("apps/a/own.yaml", "own: true\n");
        File.CreateSymbolicLink(Path.Combine(h.Repo.WorkPath, "apps/a/values.yaml"), "../../base/values.yaml");
        File.CreateSymbolicLink(Path.Combine(h.Repo.WorkPath, "apps/a/mine.yaml"), "own.yaml");
        var sha = await PushAsync("inner symlink");

        var error = await Assert.ThrowsAsync<GitSourceException>(
            () => h.Source.GetSnapshotAsync(h.Url, sha, "apps/a", SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.UnsafeContent, error.Kind);
        Assert.Contains("outside 'apps/a'", error.Message, StringComparison.Ordinal);

        h.Repo.Git("rm", "--quiet", "apps/a/values.yaml");
        var within = await PushAsync("link within the path only");
        using var lease = await h.Source.GetSnapshotAsync(h.Url, within, "apps/a", SourceHarness.Timeout);
        Assert.Equal("own: true\n", await File.ReadAllTextAsync(Path.Combine(lease.Root, "apps/a/mine.yaml")));
    }

    [Fact]
    public async Task Oversized_files_and_trees_are_refused_with_the_limit_named()
    {
        var big = await PushAsync("big file", ("apps/a/huge.yaml", new string('x', 100 * 1024)), ("apps/b/cm.yaml", "kind: ConfigMap\n"));

        // The whole repository: the file is left out and named, so only apps whose path holds it fail.
        using (var whole = await h.Source.GetSnapshotAsync(h.Url, big, null, SourceHarness.Timeout))
        {
            var left = Assert.Single(whole.Oversized);
            Assert.Equal(("apps/a/huge.yaml", 100 * 1024L), (left.Path, left.Size));
            Assert.True(left.Under("apps/a") && left.Under(".") && left.Under("apps/a/") && !left.Under("apps/b") && !left.Under("apps/aa"));
            Assert.False(File.Exists(Path.Combine(whole.Root, "apps/a/huge.yaml")));
            Assert.True(File.Exists(Path.Combine(whole.Root, "apps/b/cm.yaml")));
            Assert.Contains("per-file limit", left.Error().Message, StringComparison.Ordinal);
        }

        var error = await Assert.ThrowsAsync<GitSourceException>(
            () => h.Source.GetSnapshotAsync(h.Url, big, "apps/a", SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.TooLarge, error.Kind);
        Assert.Contains("apps/a/huge.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("per-file limit", error.Message, StringComparison.Ordinal);

        h.Repo.Git("rm", "--quiet", "apps/a/huge.yaml");
        var files = Enumerable.Range(0, 6).Select(i => ($"apps/many/{i}.yaml", new string('y', 60 * 1024))).ToArray();
        var many = await PushAsync("many files", files);
        var total = await Assert.ThrowsAsync<GitSourceException>(
            () => h.Source.GetSnapshotAsync(h.Url, many, null, SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.TooLarge, total.Kind);
        Assert.Contains("total size limit", total.Message, StringComparison.Ordinal);
    }
}

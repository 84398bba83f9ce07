using System.Diagnostics;

namespace GitOps.Testing;

/// <summary>
/// A real git repository for tests, driven through the <c>git</c> CLI: a bare "remote" plus a working clone
/// that commits and pushes to it. Everything lives in one temp directory, removed on dispose.
/// </summary>
public sealed class TempGitRepository : IDisposable
{
    private TempGitRepository(string root, string barePath, string workPath)
    {
        Root = root;
        BarePath = barePath;
        WorkPath = workPath;
    }

    public string Root { get; }

    /// <summary>The bare repository playing the remote.</summary>
    public string BarePath { get; }

    /// <summary>A working clone with <c>origin</c> = <see cref="BarePath"/>.</summary>
    public string WorkPath { get; }

    public string FileUrl => "file://" + BarePath;

    /// <summary>Creates an empty bare remote (in <paramref name="bareDirectory"/> when given) and a working clone.</summary>
    public static TempGitRepository Create(string defaultBranch = "main", string? bareDirectory = null, string name = "repo.git")
    {
        var root = Path.Combine(Path.GetTempPath(), "gitops-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var bare = Path.Combine(bareDirectory ?? root, name);
        var work = Path.Combine(root, "work");
        Run(root, "init", "--quiet", "--bare", "-b", defaultBranch, bare);
        Run(root, "init", "--quiet", "-b", defaultBranch, work);
        Run(work, "remote", "add", "origin", bare);
        return new TempGitRepository(root, bare, work);
    }

    /// <summary>Runs git in the working clone and returns its trimmed standard output.</summary>
    public string Git(params string[] args) => Run(WorkPath, args);

    /// <summary>Runs git in the bare remote.</summary>
    public string GitRemote(params string[] args) => Run(BarePath, args);

    public void WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(WorkPath, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Stages everything and commits; returns the new commit's SHA.</summary>
    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "--quiet", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD");
    }

    /// <summary>Writes files then commits them.</summary>
    public string CommitFiles(string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            WriteFile(path, content);
        }

        return Commit(message);
    }

    public void Push(params string[] refspecs) => Git(["push", "--quiet", "origin", .. refspecs]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A server may still hold a file; the temp directory is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static string Run(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["GIT_AUTHOR_NAME"] = "Test Author";
        psi.Environment["GIT_AUTHOR_EMAIL"] = "author@example.com";
        psi.Environment["GIT_COMMITTER_NAME"] = "Test Author";
        psi.Environment["GIT_COMMITTER_EMAIL"] = "author@example.com";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start git");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Trim();
    }
}

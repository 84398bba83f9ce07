using System.Diagnostics;

namespace GitOps.Testing;

/// <summary>
/// A real smart-HTTP git server on loopback (lighttpd + git http-backend, basic auth, push enabled) started
/// through hack/git-http-server.sh, which installs lighttpd from Debian when missing.
/// </summary>
public sealed class GitHttpServer : IDisposable
{
    public const string User = "git";
    public const string Password = "s3cret-token";

    private GitHttpServer(string directory, string baseUrl)
    {
        Directory = directory;
        BaseUrl = baseUrl;
    }

    /// <summary>Where bare repositories served by this server live.</summary>
    public string Directory { get; }

    /// <summary>e.g. http://127.0.0.1:PORT/git</summary>
    public string BaseUrl { get; }

    public string UrlFor(string name) => $"{BaseUrl}/{name}";

    public static GitHttpServer Start()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gitops-http-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var output = Script("start", directory);
        return new GitHttpServer(directory, output.Split('\n')[^1].Trim());
    }

    public void Dispose()
    {
        Script("stop", Directory);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Script(string command, string directory)
    {
        var script = Path.Combine(RepositoryLayout.Root, "hack", "git-http-server.sh");
        var psi = new ProcessStartInfo("bash", [script, command, directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["GIT_HTTP_USER"] = User;
        psi.Environment["GIT_HTTP_PASSWORD"] = Password;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start bash");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        // Installing lighttpd on a fresh machine can take a while.
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"hack/git-http-server.sh {command} failed: {stderr.Result}");
        }

        return stdout.Trim();
    }
}

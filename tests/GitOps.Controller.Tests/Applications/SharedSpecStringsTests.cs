using GitOps.Applications;

namespace GitOps.Controller.Tests.Applications;

/// <summary>Apps read from one file share the strings they have in common (repository, revision, project,
/// namespace) and keep what is their own.</summary>
public sealed class SharedSpecStringsTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), "gitops-apps-" + Guid.NewGuid().ToString("N") + ".yaml");

    public void Dispose() => File.Delete(file);

    [Fact]
    public void Apps_of_one_file_share_their_common_strings()
    {
        File.WriteAllText(file, string.Concat(Enumerable.Range(0, 2).Select(i => $"""
            ---
            apiVersion: gitops.dev/v1alpha1
            kind: Application
            metadata:
              name: app-{i}
            spec:
              source:
                repoURL: https://git.example/repo.git
                targetRevision: main
                path: apps/app-{i}
              destination:
                namespace: demo

            """)));

        var apps = ApplicationDocuments.LoadFile(file);

        Assert.Same(apps[0].Spec.Source.RepoUrl, apps[1].Spec.Source.RepoUrl);
        Assert.Same(apps[0].Spec.Source.TargetRevision, apps[1].Spec.Source.TargetRevision);
        Assert.Same(apps[0].Spec.Destination.Namespace, apps[1].Spec.Destination.Namespace);
        Assert.Same(apps[0].Spec.Project, apps[1].Spec.Project);
        Assert.Equal(("apps/app-0", "apps/app-1"), (apps[0].Spec.Source.Path, apps[1].Spec.Source.Path));
        Assert.Equal("https://git.example/repo.git", apps[1].Spec.Source.RepoUrl);
    }
}

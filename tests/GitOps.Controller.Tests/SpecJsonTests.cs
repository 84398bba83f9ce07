using GitOps.Applications;
using GitOps.Controller.Api;

namespace GitOps.Controller.Tests;

/// <summary>Application.spec_json (what `gitops preview --server` renders with): the whole spec, read back as the
/// same spec, with credentials in repoURL masked — unit.</summary>
public sealed class SpecJsonTests
{
    private static readonly Application App = new("shop", new ApplicationSpec
    {
        Project = "team-a",
        Source = new SourceSpec
        {
            RepoUrl = "https://deploy-bot:ghp_s3cr3tT0ken@git.example.com/org/deploy.git",
            TargetRevision = "main",
            Path = "charts/shop",
            Helm = new HelmSpec
            {
                ValueFiles = ["values-prod.yaml"],
                Values = "replicas: 3\n",
                Parameters = [new HelmParameter("image.tag", "1.2.3", ForceString: true)],
                ReleaseName = "shop-prod",
            },
            Kustomize = new KustomizeSpec { NamePrefix = "prod-", Images = ["nginx=nginx:1.27"] },
        },
        Destination = new DestinationSpec { Namespace = "shop" },
        SyncPolicy = new SyncPolicySpec { Automated = new AutomatedSpec(Prune: true), SyncOptions = ["CreateNamespace=true"] },
        RevisionHistoryLimit = 3,
    });

    [Fact]
    public void The_whole_spec_round_trips_with_repository_credentials_masked()
    {
        var json = ProtoMapping.SpecJson(App);

        Assert.DoesNotContain("ghp_s3cr3tT0ken", json, StringComparison.Ordinal);
        Assert.DoesNotContain("deploy-bot", json, StringComparison.Ordinal);
        var read = ApplicationDocuments.FromSpecJson("shop", json, "test");
        Assert.Equal("https://***@git.example.com/org/deploy.git", read.Spec.Source.RepoUrl);
        // Everything else as declared: re-serialised, the two specs are the same JSON.
        Assert.Equal(json, ApplicationDocuments.SpecJson(read.Spec));
        Assert.Equal("replicas: 3\n", read.Spec.Source.Helm!.Values);
        Assert.Equal("image.tag", read.Spec.Source.Helm.Parameters.Single().Name);
        Assert.Equal("prod-", read.Spec.Source.Kustomize!.NamePrefix);
        Assert.Equal(3, read.Spec.RevisionHistoryLimit);
        Assert.True(read.Spec.SyncPolicy!.Automated!.Prune);
    }

    [Fact]
    public void The_api_source_url_is_masked_too()
    {
        var message = ProtoMapping.ToProto(App, new GitOps.Controller.State.AppStatus(), includeHistory: false);

        Assert.Equal("https://***@git.example.com/org/deploy.git", message.Source.RepoUrl);
    }
}

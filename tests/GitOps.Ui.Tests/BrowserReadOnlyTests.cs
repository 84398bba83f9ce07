using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>A read-only token sees the apps, the app page (its resource tree: Deployment → ReplicaSet → Pods) and
/// the history, and is offered no action; a Secret of the app is listed without its values.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class BrowserReadOnlyTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task ReadOnlyTokenSeesNoActions()
    {
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-ro", count: 1, seed: repo => repo.WriteFile("ui-ro-1/secret.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: credentials
            stringData:
              password: s3cr3t-value
            """));
        scenario.Repo.CommitFiles("a deployment", ("ui-ro-1/deployment.yaml", ResourceTreeTests.Deployment));
        scenario.Repo.Push("main");
        await BrowserRun.RunAsync(scenario, "readonly");
    }
}

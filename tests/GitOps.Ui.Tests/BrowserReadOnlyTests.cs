using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>A read-only token sees the apps, the app page and the history, and is offered no action.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class BrowserReadOnlyTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task ReadOnlyTokenSeesNoActions()
    {
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-ro", count: 1);
        await BrowserRun.RunAsync(scenario, "readonly");
    }
}

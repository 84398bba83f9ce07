using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>Markup in what the API returns (a commit subject; a file name that a ComparisonError quotes) is shown
/// as text: never rendered, never run (Argo CD's CVE-2025-47933 was a stored XSS of this kind). App and object
/// names are DNS labels, so they cannot carry markup.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class BrowserMarkupTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task MarkupInAnErrorMessageIsShownAsText()
    {
        // App 2 gets a broken file whose name is markup that would run a script if it were rendered as HTML.
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-xss", count: 2,
            seed: repo => repo.WriteFile("ui-xss-2/<img src=x onerror=window.__xss=1>.yaml", "kind: ConfigMap\nmetadata: [unclosed\n"));
        // App 1's current commit has markup in its subject, shown on the summary and in the history.
        scenario.Repo.CommitFiles("<script>window.__xss=1</script><b>bold</b> subject", ("ui-xss-1/settings.yaml", TestManifests.ConfigMap("settings", "v2")));
        scenario.Repo.Push("main");
        await BrowserRun.RunAsync(scenario, "markup");
    }
}

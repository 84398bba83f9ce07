using GitOps.Api.V1;
using GitOps.Controller.Tests.Promotion;
using GitOps.Testing;
using static GitOps.Controller.Tests.Promotion.PipelineScenario;

namespace GitOps.Controller.Tests;

/// <summary>The local files (--applications, --pipelines) are followed: an edit is loaded within seconds, and a
/// broken edit keeps the previous set (nothing is removed because of a typo).</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class DeclarationsFileReloadTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task An_edited_applications_file_is_reloaded_and_a_broken_one_keeps_the_previous_set()
    {
        await using var ns = await cluster.CreateNamespaceAsync("reload");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("config", ("a/cm.yaml", TestManifests.ConfigMap("a", "1")), ("b/cm.yaml", TestManifests.ConfigMap("b", "1")));
        repo.Push("main");
        var first = TestManifests.Application("reload-a", repo.FileUrl, "a", ns.Name);
        await using var controller = await ControllerHarness.StartAsync(cluster, first);

        await File.WriteAllTextAsync(controller.AppsFile, first + "---\n" + TestManifests.Application("reload-b", repo.FileUrl, "b", ns.Name));
        await Eventually.HoldsAsync(() => controller.Client.ListAsync(new ListRequest()).ResponseAsync,
            l => l.Applications.Select(a => a.Name).Order(StringComparer.Ordinal).SequenceEqual(["reload-a", "reload-b"]),
            TimeSpan.FromSeconds(30), "the added application is declared");
        await controller.WaitForAsync("reload-b", a => a.SyncStatus == SyncStatus.Synced, "the added application syncs");

        await File.WriteAllTextAsync(controller.AppsFile, first + "---\napiVersion: gitops.dev/v1alpha1\nkind: Application\nmetadata: {name: [broken\n");
        // The file is polled every second: across several polls after the broken write, both apps stay declared.
        var until = DateTime.UtcNow.AddSeconds(4);
        while (DateTime.UtcNow < until)
        {
            var list = await controller.Client.ListAsync(new ListRequest());
            Assert.Equal(["reload-a", "reload-b"], list.Applications.Select(a => a.Name).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task An_edited_pipelines_file_is_reloaded()
    {
        await using var scenario = await PipelineScenario.CreateAsync(cluster, "reloadpipe");
        scenario.Release("v1.0.0");
        await scenario.StartAsync(PipelineYaml("""
                      approval:
                        count: 1
            """));
        await scenario.WaitForAsync(p => Stage(p, "prod").Candidate?.Message.Contains("waiting for 1 approval(s)", StringComparison.Ordinal) == true,
            "v1.0.0 waits for one approval");

        await File.WriteAllTextAsync(scenario.PipelinesFile, PipelineYaml("""
                      approval:
                        count: 2
            """));
        await scenario.WaitForAsync(p => Stage(p, "prod").Candidate?.Message.Contains("waiting for 2 approval(s)", StringComparison.Ordinal) == true,
            "the edited gate asks for two approvals");
    }
}

using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>The pipelines view on a real pipeline: v1.0.0 waits for approval to enter prod; a read-only token sees
/// the stages and gates and no approve button; the pipeline's approver approves (confirmed, with a comment) and sees
/// prod promoted live. Markup in the commit subject and the comment is shown as text.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class BrowserPipelineTests(LocalClusterFixture cluster)
{
    public const string Subject = """Release <img src=x onerror="window.__xss=1"><b>bold</b> v1.0.0""";

    [Fact]
    public async Task ApproverApprovesAWaitingPromotionFromThePage()
    {
        await using var scenario = await UiScenario.StartPipelineAsync(cluster, "ui-pipe", Subject);
        await BrowserRun.RunAsync(scenario, "pipeline");
    }
}

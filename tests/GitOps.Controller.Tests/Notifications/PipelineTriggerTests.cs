using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.Notifications;
using GitOps.Controller.Promotion;
using GitOps.Controller.State;
using GitOps.Engine;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static GitOps.Controller.Tests.Notifications.NotificationTestKit;

namespace GitOps.Controller.Tests.Notifications;

/// <summary>Pipeline status changes → pipeline triggers (unit: Promotion/PipelineNotices), each once per
/// transition; and the port delivers them to the stage's app's subscribers (a real receiver).</summary>
public sealed class PipelineTriggerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private const string V1 = "1111111111111111111111111111111111111111";
    private const string V2 = "2222222222222222222222222222222222222222";

    private static readonly GateStatus HealthyPassed = new(GateKind.Healthy, GateState.Passed, "canary Healthy");
    private static readonly GateStatus HealthyPending = new(GateKind.Healthy, GateState.Pending, "waiting for canary");
    private static readonly GateStatus ApprovalPending = new(GateKind.Approval, GateState.Pending, "needs 1 approval");

    private static Candidate Candidate(string rev, params GateStatus[] gates) =>
        new() { Revision = rev, SourceCommit = rev, Tag = rev == V1 ? "v1.0.0" : "v2.0.0", Since = T0, Gates = gates };

    private static StageStatus Prod(Candidate? candidate, string? current = null, params Candidate[] past) => new()
    {
        Name = "prod",
        Candidate = candidate,
        Current = current is null ? null : new StageCurrent(current, current, null, SyncState.Synced, HealthState.Healthy),
        Past = past,
    };

    private static List<NotificationTrigger> Triggers(StageStatus before, StageStatus after) =>
        PipelineNotices.Detect(before, after).Select(t => t.Trigger).ToList();

    [Fact]
    public void Approval_is_needed_once_when_only_the_approval_gate_is_left()
    {
        var soaking = Prod(Candidate(V1, HealthyPending, ApprovalPending));
        var waiting = Prod(Candidate(V1, HealthyPassed, ApprovalPending));

        Assert.Empty(Triggers(new StageStatus { Name = "prod" }, soaking));
        Assert.Equal([NotificationTrigger.ApprovalNeeded], Triggers(soaking, waiting));
        Assert.Empty(Triggers(waiting, waiting with { Candidate = waiting.Candidate! with { Message = "re-evaluated" } }));
        // A newer revision that waits for approval is a new question.
        Assert.Equal([NotificationTrigger.ApprovalNeeded], Triggers(waiting, Prod(Candidate(V2, HealthyPassed, ApprovalPending))));
    }

    [Fact]
    public void A_failed_verification_is_told_once()
    {
        var running = Prod(Candidate(V1, HealthyPassed, new GateStatus(GateKind.Verification, GateState.Pending, "Job running")));
        var failed = Prod(running.Candidate! with
        {
            Phase = CandidatePhase.Blocked,
            Gates = [HealthyPassed, new GateStatus(GateKind.Verification, GateState.Failed, "Job smoke failed: exit 1")],
        });

        var triggers = PipelineNotices.Detect(running, failed).ToList();

        Assert.Equal([(NotificationTrigger.VerificationFailed, V1)], triggers.Select(t => (t.Trigger, t.Revision)));
        Assert.Contains("Job smoke failed", triggers[0].Message, StringComparison.Ordinal);
        Assert.Empty(Triggers(failed, failed));
    }

    [Fact]
    public void A_promotion_made_now_is_told_and_one_found_in_the_branch_history_is_not()
    {
        var waiting = Prod(Candidate(V1, HealthyPassed));
        var promoted = Prod(waiting.Candidate! with
        {
            Phase = CandidatePhase.Promoted, PromotedCommit = V2, PromotedAt = T0.AddMinutes(5), Message = "promoted in 2222222",
        });
        // After a restart without state, a candidate is found already promoted (at its commit's date, before now).
        var traced = Prod(Candidate(V1) with { Phase = CandidatePhase.Promoted, PromotedCommit = V2, PromotedAt = T0.AddDays(-1) });

        Assert.Equal([NotificationTrigger.Promoted], Triggers(waiting, promoted));
        // Created and promoted in one evaluation (no gates) is still a promotion.
        Assert.Equal([NotificationTrigger.Promoted], Triggers(new StageStatus { Name = "prod" }, promoted));
        Assert.Empty(Triggers(promoted, promoted));
        Assert.Empty(Triggers(new StageStatus { Name = "prod" }, traced));
    }

    [Fact]
    public void Going_back_to_a_revision_promoted_before_is_a_rollback_and_moving_forward_is_not()
    {
        var v1Promoted = Candidate(V1) with { Phase = CandidatePhase.Promoted, PromotedAt = T0 };
        var v2Promoted = Candidate(V2) with { Phase = CandidatePhase.Promoted, PromotedAt = T0.AddHours(1) };
        var onV2 = Prod(v2Promoted, V2, v1Promoted);
        var backOnV1 = Prod(v2Promoted, V1, v1Promoted);

        var rollback = PipelineNotices.Detect(onV2, backOnV1).ToList();

        Assert.Equal([(NotificationTrigger.PromotionRolledBack, V1)], rollback.Select(t => (t.Trigger, t.Revision)));
        Assert.Contains("back to 1111111 (was 2222222)", rollback[0].Message, StringComparison.Ordinal);
        Assert.Empty(Triggers(Prod(v2Promoted, V1, v1Promoted), onV2));
        // v2 promoted, then superseded by a v3 candidate before the stage synced it: v1 → v2 is still forward.
        var v3 = Candidate("3333333333333333333333333333333333333333", HealthyPending);
        Assert.Empty(Triggers(Prod(v3, V1, v1Promoted, v2Promoted), Prod(v3, V2, v1Promoted, v2Promoted)));
    }

    [Fact]
    public async Task The_port_sends_to_the_subscribers_of_the_stage_app_once_per_revision()
    {
        using var receiver = new WebhookReceiver();
        var config = WebhookConfig(receiver.Url()) with { Workers = 1 };
        var registry = new ApplicationRegistry();
        registry.Upsert(App("sample-prod"));
        using var service = new NotificationService(new StatusHub(), registry, config, new MessageTemplates(config, "test"),
            new NotificationSender(new HttpClient(), config, TimeProvider.System, NullLogger<NotificationSender>.Instance),
            TimeProvider.System, NullLogger<NotificationService>.Instance);
        await service.StartAsync(CancellationToken.None);
        var pipeline = new Pipeline("sample", new PipelineSpec
        {
            Stages = [new StageSpec { Name = "canary", Application = "sample-canary" }, new StageSpec { Name = "prod", Application = "sample-prod" }],
        });
        var before = new PipelineStatus { Stages = [Prod(Candidate(V1, HealthyPending, ApprovalPending))] };
        var after = new PipelineStatus { Stages = [Prod(Candidate(V1, HealthyPassed, ApprovalPending))] };

        PipelineNotices.Report(service, pipeline, before, after);
        PipelineNotices.Report(service, pipeline, before, after); // the same transition again: de-duplicated

        var request = (await Eventually.HoldsAsync(() => Task.FromResult(receiver.Requests), r => r.Count >= 1,
            TimeSpan.FromSeconds(20), "the approval notice arrives"))[0];
        await service.StopAsync(CancellationToken.None);
        Assert.Single(receiver.Requests);
        Assert.Equal("on-approval-needed", request.Headers[SinkPayloads.EventHeader]);
        var body = JsonNode.Parse(request.Text)!;
        Assert.Equal("sample-prod", (string?)body["app"]);
        Assert.Equal(V1, (string?)body["revision"]);
        Assert.Contains("pipeline sample, stage prod: v1.0.0 waits for approval", (string?)body["message"], StringComparison.Ordinal);
    }
}

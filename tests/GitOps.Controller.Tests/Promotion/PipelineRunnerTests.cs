using System.Text.Json.Nodes;
using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Controller.Promotion;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Controller.Tests.Reconcile;
using GitOps.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>The runner's state machine over fake ports (no cluster, no git): a newer revision supersedes a
/// waiting one, a revision promoted before is not promoted again after a revert, and an admin's forced promote
/// overrides the gates and says so in the commit.</summary>
public sealed class PipelineRunnerTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ApplicationRegistry apps = new();
    private readonly InMemoryStateStore appStatus = new();
    private readonly PipelineRegistry pipelines = new();
    private readonly FakePromotionGit git = new();
    private readonly PipelineRunner runner;

    public PipelineRunnerTests()
    {
        apps.Upsert(App("canary", "v*"));
        apps.Upsert(App("prod", "env/prod"));
        pipelines.Upsert(new Pipeline("p", new PipelineSpec
        {
            Stages =
            [
                new StageSpec { Name = "canary", Application = "canary" },
                new StageSpec { Name = "prod", Application = "prod", Gates = new GatesSpec { Approval = new ApprovalSpec() } },
            ],
        }));
        runner = new PipelineRunner(pipelines, apps, appStatus, new InMemoryPipelineStore(), git, new NoJobs(),
            new WorkQueue(clock), new PipelineHub(), clock, NullLogger<PipelineRunner>.Instance);
    }

    [Fact]
    public async Task A_newer_revision_supersedes_the_waiting_one_and_keeps_it_in_past()
    {
        await CanaryRunsAsync("aaaaaaa1", "v1.0.0");
        await runner.EvaluateAsync("p", CancellationToken.None);
        await CanaryRunsAsync("bbbbbbb2", "v1.0.1");

        var status = await runner.EvaluateAsync("p", CancellationToken.None);

        var prod = status.Stage("prod");
        Assert.Equal(("bbbbbbb2", "v1.0.1", CandidatePhase.Waiting), (prod.Candidate!.Revision, prod.Candidate.Tag, prod.Candidate.Phase));
        var old = Assert.Single(prod.Past);
        Assert.Equal((CandidatePhase.Superseded, "superseded by v1.0.1 (bbbbbbb)"), (old.Phase, old.Message));
        var e = await Assert.ThrowsAsync<AppOperationException>(() =>
            runner.DecideAsync("p", "prod", "v1.0.0", "alice", ApprovalDecision.Approved, "", CancellationToken.None));
        Assert.Contains("waits for v1.0.1 (bbbbbbb), not 'v1.0.0'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approval_promotes_once_and_a_revert_on_the_branch_is_not_undone()
    {
        await CanaryRunsAsync("aaaaaaa1", "v1.0.0");
        await runner.DecideAsync("p", "prod", null, "alice", ApprovalDecision.Approved, "", CancellationToken.None);
        Assert.Equal(["aaaaaaa1"], git.Promoted.Select(p => p.Sha));

        git.Promoted.Clear();
        git.Branch.Insert(0, new CommitInfo("revert1", "Revert \"Promote v1.0.0\"", "", "ops", clock.GetUtcNow(), [], new Dictionary<string, string>()));
        var fresh = new PipelineRunner(pipelines, apps, appStatus, new InMemoryPipelineStore(), git, new NoJobs(),
            new WorkQueue(clock), new PipelineHub(), clock, NullLogger<PipelineRunner>.Instance);
        var status = await fresh.EvaluateAsync("p", CancellationToken.None);

        Assert.Empty(git.Promoted);
        Assert.Equal(CandidatePhase.Promoted, status.Stage("prod").Candidate!.Phase);
    }

    [Fact]
    public async Task A_forced_promote_overrides_the_gates_and_a_plain_one_is_refused_until_they_pass()
    {
        await CanaryRunsAsync("aaaaaaa1", "v1.0.0");

        var refused = await Assert.ThrowsAsync<AppOperationException>(() =>
            runner.PromoteAsync("p", "prod", null, force: false, "admin", CancellationToken.None));
        var (_, promoted) = await runner.PromoteAsync("p", "prod", "v1.0.0", force: true, "admin", CancellationToken.None);

        Assert.Contains("waiting for 1 approval(s)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(("admin", CandidatePhase.Promoted), (promoted.OverriddenBy, promoted.Phase));
        Assert.Contains("Gitops-Override-By: admin", Assert.Single(git.Promoted).Message, StringComparison.Ordinal);
    }

    private async Task CanaryRunsAsync(string sha, string tag)
    {
        git.Tags[sha] = tag;
        await appStatus.SaveAsync("canary", new AppStatus
        {
            Revision = new RevisionInfo(sha), Sync = SyncState.Synced, Health = HealthState.Healthy,
        }, CancellationToken.None);
    }

    private static Application App(string name, string revision) => new(name, new ApplicationSpec
    {
        Source = new SourceSpec { RepoUrl = "https://git.example/sample.git", TargetRevision = revision, Path = name },
        Destination = new DestinationSpec { Namespace = name },
    });

    private sealed class FakePromotionGit : IPromotionGit
    {
        public Dictionary<string, string> Tags { get; } = [];

        public List<CommitInfo> Branch { get; } = [];

        public List<(string Sha, string Message)> Promoted { get; } = [];

        public Task<PromotionCommit> PromoteAsync(string repoUrl, string branch, string sha, string message, CancellationToken cancellationToken)
        {
            Promoted.Add((sha, message));
            var commit = "promo" + Promoted.Count;
            Branch.Insert(0, new CommitInfo(commit, message.Split('\n')[0], message, "gitops", DateTimeOffset.UnixEpoch, [],
                new Dictionary<string, string> { [PromotionMessage.RevisionTrailer] = sha }));
            return Task.FromResult(new PromotionCommit(commit, true));
        }

        public Task<string> RevertAsync(string repoUrl, string branch, string commit, string messageTemplate, CancellationToken cancellationToken) =>
            throw new NotSupportedException("no autoRollback here");

        public Task<CommitInfo?> DescribeAsync(string repoUrl, string sha, CancellationToken cancellationToken) =>
            Task.FromResult<CommitInfo?>(new CommitInfo(sha, "subject", "subject", "dev", DateTimeOffset.UnixEpoch,
                Tags.TryGetValue(sha, out var tag) ? [tag] : [], new Dictionary<string, string>()));

        public Task<IReadOnlyList<CommitInfo>> LogAsync(string repoUrl, string branch, int max, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CommitInfo>>([.. Branch.Take(max)]);
    }

    private sealed class NoJobs : IVerificationJobs
    {
        public Task StartAsync(string ns, string name, JsonObject jobSpec, IReadOnlyDictionary<string, string> labels,
            CancellationToken cancellationToken) => throw new NotSupportedException("no verification gate here");

        public Task<VerificationResult?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
            Task.FromResult<VerificationResult?>(null);
    }

    private sealed class InMemoryPipelineStore : IPipelineStateStore
    {
        private readonly Dictionary<string, PipelineStatus> statuses = [];

        public Task<PipelineStatus> GetAsync(string pipeline, CancellationToken cancellationToken) =>
            Task.FromResult(statuses.GetValueOrDefault(pipeline) ?? new PipelineStatus());

        public Task SaveAsync(string pipeline, PipelineStatus status, CancellationToken cancellationToken)
        {
            statuses[pipeline] = status;
            return Task.CompletedTask;
        }
    }
}

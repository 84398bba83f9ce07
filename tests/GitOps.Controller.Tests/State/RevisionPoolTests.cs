using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Tests.State;

/// <summary>Every app at the same commit shares one RevisionInfo, also after statuses are read back from disk.</summary>
public sealed class RevisionPoolTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "gitops-status-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_commit_is_described_once_and_shared()
    {
        var pool = new RevisionPool();
        var described = 0;
        RevisionInfo Describe(string sha)
        {
            described++;
            return new RevisionInfo(sha, "subject", "bench <bench@example.com>");
        }

        var first = pool.ForCommit("abc", "abc", Describe);
        var second = pool.ForCommit("abc", "abc", Describe);

        Assert.Same(first, second);
        Assert.Equal(1, described);
        Assert.Same(first, pool.Share(new RevisionInfo("abc", "subject", "bench <bench@example.com>")));
    }

    [Fact]
    public void Records_that_differ_are_not_confused()
    {
        // A rollback's history entry names the revert commit with the rollback's message as its subject.
        var pool = new RevisionPool();
        var rollback = pool.Share(new RevisionInfo("abc", "rollback to 1234567"));

        var commit = pool.ForCommit("abc", "abc", sha => new RevisionInfo(sha, "Revert \"bad change\"", "a <a@example.com>"));

        Assert.Equal("Revert \"bad change\"", commit.Subject);
        Assert.Equal("rollback to 1234567", pool.Share(new RevisionInfo("abc", "rollback to 1234567")).Subject);
        Assert.Same(rollback, pool.Share(new RevisionInfo("abc", "rollback to 1234567")));
    }

    [Fact]
    public async Task Statuses_read_back_share_their_revisions()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var writer = new LocalStateStore(directory, TimeProvider.System);
        foreach (var app in (string[])["one", "two"])
        {
            var revision = new RevisionInfo("abc", "subject", "bench <bench@example.com>", at);
            var status = new AppStatus
            {
                Revision = revision,
                Operation = new OperationState(OperationPhase.Succeeded, "ok", Initiator.Auto, at, at) { Revision = revision with { } },
            }.AppendHistory(new HistoryEntry(1, revision with { }, at, at, SyncOutcome.Succeeded, Initiator.Auto), 10);
            await writer.SaveAsync(app, status, CancellationToken.None);
        }

        var reader = new LocalStateStore(directory, TimeProvider.System, new RevisionPool());
        var one = await reader.GetAsync("one", CancellationToken.None);
        var two = await reader.GetAsync("two", CancellationToken.None);

        Assert.Equal(new RevisionInfo("abc", "subject", "bench <bench@example.com>", at), one.Revision);
        Assert.Same(one.Revision, two.Revision);
        Assert.Same(one.Revision, one.Operation!.Revision);
        Assert.Same(one.Revision, two.History.Single().Revision);
    }
}

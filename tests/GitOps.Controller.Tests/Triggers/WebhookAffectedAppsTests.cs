using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.Triggers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Controller.Tests.Triggers;

/// <summary>A push webhook queues exactly the apps it may change: those of the pushed repository and branch whose
/// directory holds a changed file (however the app spells its path), those at the repository root, and those whose
/// values come from the pushed repository; all of the repository's apps when the forge listed no files.</summary>
public sealed class WebhookAffectedAppsTests
{
    private const string Repo = "https://git.example.com/org/monorepo.git";
    private readonly FakeTimeProvider clock = new();
    private readonly ApplicationRegistry registry = new();
    private readonly WorkQueue queue;
    private readonly WebhookRefreshQueue webhook;

    public WebhookAffectedAppsTests()
    {
        queue = new WorkQueue(clock);
        webhook = new WebhookRefreshQueue(registry, queue, new AllApps(), clock, null!,
            new ServiceCollection().BuildServiceProvider(), NullLogger<WebhookRefreshQueue>.Instance);
        Declare("a", "apps/a");
        Declare("b", "./apps/b/");
        Declare("c", "apps\\c");
        Declare("untouched", "apps/d");
        Declare("parent", "apps");
        Declare("root", ".");
        Declare("other-repo", "apps/a", repo: "https://git.example.com/org/other.git");
        Declare("other-branch", "apps/a", revision: "release");
        Declare("same-repo-other-spelling", "apps/a", repo: "https://GIT.example.com/org/monorepo");
        registry.Upsert(new Application("chart", new ApplicationSpec
        {
            Source = new SourceSpec { RepoUrl = "https://charts.example.com", Chart = "web", TargetRevision = "1.0.0" },
        }));
        registry.Upsert(new Application("values-from-git", new ApplicationSpec
        {
            Source = new SourceSpec
            {
                RepoUrl = "https://charts.example.com", Chart = "web", TargetRevision = "1.0.0",
                ValueSources = [new SourceSpec { RepoUrl = Repo, TargetRevision = "main", Ref = "values" }],
            },
        }));
    }

    private void Declare(string name, string path, string repo = Repo, string revision = "main") =>
        registry.Upsert(new Application(name, new ApplicationSpec
        {
            Source = new SourceSpec { RepoUrl = repo, TargetRevision = revision, Path = path },
        }));

    private async Task<SortedSet<string>> PushAsync(params string[] changed)
    {
        await webhook.EnqueueAsync(Repo, "main", changed, CancellationToken.None);
        var queued = new SortedSet<string>(StringComparer.Ordinal);
        while (queue.Depth > 0)
        {
            var (app, _, _) = await queue.TakeAsync(CancellationToken.None);
            queued.Add(app);
            queue.Done(app);
        }

        return queued;
    }

    [Fact]
    public async Task Queues_the_apps_under_the_changed_files_and_those_any_push_may_change()
    {
        var queued = await PushAsync("apps/a/deploy.yaml", "apps/b/deep/x.yaml", "apps/c/y.yaml");

        Assert.Equal(["a", "b", "c", "parent", "root", "same-repo-other-spelling", "values-from-git"], queued);
    }

    [Fact]
    public async Task A_file_beside_the_app_directories_queues_only_the_apps_above_it()
    {
        Assert.Equal(["parent", "root", "values-from-git"], await PushAsync("apps/README.md"));
        Assert.Equal(["root", "values-from-git"], await PushAsync("README.md"));
    }

    [Fact]
    public async Task An_app_moved_or_removed_is_found_only_where_it_is_now()
    {
        Declare("a", "apps/moved");
        registry.Remove("b");

        Assert.DoesNotContain("a", await PushAsync("apps/a/deploy.yaml"));
        Assert.Contains("a", await PushAsync("apps/moved/deploy.yaml"));
        Assert.DoesNotContain("b", await PushAsync("apps/b/deploy.yaml"));
    }

    [Fact]
    public async Task Without_changed_files_every_app_of_the_repository_and_branch_is_queued()
    {
        var queued = await PushAsync();

        Assert.Equal(["a", "b", "c", "parent", "root", "same-repo-other-spelling", "untouched", "values-from-git"], queued);
    }

    private sealed class AllApps : IReplicaScope
    {
        public bool IsLeader => true;

        public int? ShardsHeld => null;

        public bool Owns(string app) => true;
    }
}

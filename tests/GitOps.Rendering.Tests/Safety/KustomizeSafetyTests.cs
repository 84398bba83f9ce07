using GitOps.Rendering.Kustomize;

namespace GitOps.Rendering.Tests.Safety;

/// <summary>Hostile kustomizations: each gives a clear RenderException and never reads outside the boundary.</summary>
public sealed class KustomizeSafetyTests
{
    private const string Cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";

    private static Task<RenderResult> Render(string root, string path, KustomizeOptions? options = null) =>
        new KustomizeRenderer().RenderAsync(new RenderRequest(root, path, new RenderOptions(Kustomize: options)), CancellationToken.None);

    [Fact]
    public async Task A_resource_outside_the_repository_is_refused()
    {
        using var tree = new TempTree();
        tree.Write("outside/secret.yaml", Cm);
        tree.Write("repo/app/kustomization.yaml", "resources: [../../outside/secret.yaml]\n");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(Path.Combine(tree.Root, "repo"), "app"));
        Assert.Contains("outside", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_restrictions_none_still_never_reads_outside_the_repository()
    {
        using var tree = new TempTree();
        tree.Write("outside/p.yaml", Cm);
        tree.Write("repo/shared/p.yaml", Cm);
        tree.Write("repo/app/cm.yaml", Cm);
        tree.Write("repo/app/kustomization.yaml", "resources: [cm.yaml]\npatches:\n- path: ../shared/p.yaml\n");
        tree.Write("repo/escape/cm.yaml", Cm);
        tree.Write("repo/escape/kustomization.yaml", "resources: [cm.yaml]\npatches:\n- path: ../../outside/p.yaml\n");
        var unrestricted = new KustomizeOptions(LoadRestrictionsNone: true);

        Assert.Single((await Render(Path.Combine(tree.Root, "repo"), "app", unrestricted)).Manifests);
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(Path.Combine(tree.Root, "repo"), "escape", unrestricted));
        Assert.Contains("outside", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_patch_file_outside_the_kustomization_root_is_refused()
    {
        using var tree = new TempTree();
        tree.Write("repo/shared/p.yaml", Cm);
        tree.Write("repo/app/cm.yaml", Cm);
        tree.Write("repo/app/kustomization.yaml", "resources: [cm.yaml]\npatches:\n- path: ../shared/p.yaml\n");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(Path.Combine(tree.Root, "repo"), "app"));
        Assert.Contains("is not in or below", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_leaving_the_repository_is_refused()
    {
        using var tree = new TempTree();
        tree.Write("outside/passwd.yaml", Cm);
        tree.Write("repo/app/kustomization.yaml", "resources: [link.yaml]\n");
        File.CreateSymbolicLink(Path.Combine(tree.Root, "repo/app/link.yaml"), Path.Combine(tree.Root, "outside/passwd.yaml"));
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(Path.Combine(tree.Root, "repo"), "app"));
        Assert.Contains("symlink", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_generator_file_through_an_absolute_path_is_refused()
    {
        using var tree = new TempTree();
        tree.Write("repo/app/kustomization.yaml", "configMapGenerator:\n- name: x\n  files: [/etc/passwd]\n");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(Path.Combine(tree.Root, "repo"), "app"));
        Assert.Contains("outside", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kustomization_including_itself_is_a_cycle_error()
    {
        using var tree = new TempTree();
        tree.Write("a/kustomization.yaml", "resources: [../b]\n");
        tree.Write("b/kustomization.yaml", "resources: [../a]\n");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(tree.Root, "a"));
        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
        using var self = new TempTree();
        self.Write("kustomization.yaml", "resources: [.]\n");
        await Assert.ThrowsAsync<RenderException>(() => Render(self.Root, "."));
    }

    [Theory]
    [InlineData("https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0")]
    [InlineData("github.com/org/repo/base?ref=main")]
    [InlineData("git@github.com:org/repo.git")]
    public async Task Remote_bases_are_refused_unless_enabled(string url)
    {
        using var tree = new TempTree();
        tree.Write("kustomization.yaml", $"resources: [\"{url}\"]\n");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(tree.Root, "."));
        Assert.Contains("remote bases are disabled", e.Message, StringComparison.Ordinal);
        var enabled = await Assert.ThrowsAsync<RenderException>(() => Render(tree.Root, ".", new KustomizeOptions(AllowRemoteBases: true)));
        Assert.Contains("cannot be fetched", enabled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alias_bomb_in_a_resource_is_refused()
    {
        using var tree = new TempTree();
        var bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\nx0: &a0 [q, q, q, q, q, q, q, q, q, q]\n";
        for (var i = 1; i < 9; i++)
        {
            bomb += $"x{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]\n";
        }

        tree.Write("bomb.yaml", bomb);
        tree.Write("kustomization.yaml", "resources: [bomb.yaml]\n");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(tree.Root, "."));
        Assert.Equal("bomb.yaml", e.File);
    }

    [Fact]
    public async Task An_oversized_file_is_refused()
    {
        using var tree = new TempTree();
        var path = tree.Write("huge.yaml", "");
        using (var f = File.OpenWrite(path))
        {
            f.SetLength(17L * 1024 * 1024);
        }

        tree.Write("kustomization.yaml", "resources: [huge.yaml]\n");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(tree.Root, "."));
        Assert.Contains("limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_patch_target_names_the_patch()
    {
        using var tree = new TempTree();
        tree.Write("cm.yaml", Cm);
        tree.Write("p.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nope}\ndata: {a: b}\n");
        tree.Write("kustomization.yaml", "resources: [cm.yaml]\npatchesStrategicMerge: [p.yaml]\n");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(tree.Root, "."));
        Assert.Equal("p.yaml", e.File);
    }
}

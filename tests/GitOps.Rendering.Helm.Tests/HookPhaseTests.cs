using System.Text.Json.Nodes;

namespace GitOps.Rendering.Helm.Tests;

/// <summary>An Application's Helm hooks become the engine's hooks as Argo CD maps them (pre-install/pre-upgrade →
/// PreSync, post-install/post-upgrade → PostSync, weight → wave, delete policy kept); hooks with no sync phase are left
/// out; `helm template` text and Kustomize inflation keep Helm's objects unchanged.</summary>
public sealed class HookPhaseTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "testdata", "hooks");

    private static async Task<IReadOnlyList<Manifest>> Application() =>
        (await new HelmRenderer().RenderAsync(new RenderRequest(Root, "chart", RenderOptions.Default), CancellationToken.None)).Manifests;

    private static string? Annotation(Manifest m, string key) => (string?)m.Object["metadata"]?["annotations"]?[key];

    [Fact]
    public async Task Pre_install_and_pre_upgrade_run_PreSync_with_weight_as_wave_and_delete_policy()
    {
        var job = (await Application()).Single(m => m.Name == "migrate");

        Assert.Equal("PreSync", Annotation(job, "gitops.dev/hook"));
        Assert.Equal("-5", Annotation(job, "gitops.dev/sync-wave"));
        Assert.Equal("before-hook-creation,hook-succeeded", Annotation(job, "gitops.dev/hook-delete-policy"));
    }

    [Fact]
    public async Task Post_install_and_post_upgrade_run_PostSync_and_unknown_weight_or_policy_is_ignored()
    {
        var job = (await Application()).Single(m => m.Name == "notify");

        Assert.Equal("PostSync", Annotation(job, "gitops.dev/hook"));
        Assert.Null(Annotation(job, "gitops.dev/sync-wave"));
        Assert.Equal("hook-failed", Annotation(job, "gitops.dev/hook-delete-policy"));
    }

    [Fact]
    public async Task Test_delete_and_rollback_hooks_are_left_out_and_plain_objects_stay()
    {
        var names = (await Application()).Select(m => m.Name).ToList();

        Assert.DoesNotContain("smoke-test", names);
        Assert.DoesNotContain("cleanup", names);
        Assert.Contains("plain", names);
        Assert.Null(Annotation((await Application()).Single(m => m.Name == "plain"), "gitops.dev/hook"));
    }

    [Fact]
    public async Task A_charts_own_hook_mark_wins()
    {
        var job = (await Application()).Single(m => m.Name == "own-marks");

        Assert.Equal("Sync", Annotation(job, "gitops.dev/hook"));
    }

    [Fact]
    public async Task Helm_template_output_and_kustomize_inflation_keep_helms_objects()
    {
        var renderer = new HelmRenderer();
        var template = await renderer.TemplateAsync(Root, "chart", new HelmOptions(), null, CancellationToken.None);
        var inflated = await renderer.InflateAsync(Root, Path.Combine(Root, "chart"), new HelmOptions(), CancellationToken.None);

        Assert.DoesNotContain("PreSync", template.Text, StringComparison.Ordinal);
        Assert.Equal(6, template.Manifests.Count);
        Assert.Equal(6, inflated.Count);
        Assert.Single(inflated, m => m.Object["metadata"]?["annotations"]?["gitops.dev/hook"] is JsonNode);
    }
}

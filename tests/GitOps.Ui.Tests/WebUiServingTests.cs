using System.Net;
using System.Text.RegularExpressions;
using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>The controller serves the embedded UI at / with a strict Content-Security-Policy; --ui=false turns
/// the UI off and leaves the API on.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed partial class WebUiServingTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task ServesTheEmbeddedUiWithAStrictPolicy()
    {
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-serve", count: 1);
        using var http = new HttpClient { BaseAddress = new Uri(scenario.Controller.HttpUrl) };

        using var index = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(' ', index.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        var html = await index.Content.ReadAsStringAsync();
        Assert.DoesNotMatch("<script>|<style>", html); // nothing inline: the policy would block it

        // Every script and stylesheet the page names is served from this origin, cached for good (hashed names).
        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            using var response = await http.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("immutable", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UiFalseTurnsTheUiOffButNotTheApi()
    {
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-off", count: 1, extraArgs: ["--ui=false"]);
        using var http = new HttpClient { BaseAddress = new Uri(scenario.Controller.HttpUrl) };
        using var index = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, index.StatusCode);
        var (status, _) = await JsonApiAuthTests.SendAsync(http, HttpMethod.Get, "/api/v1/applications", UiScenario.ReadOnlyToken);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [GeneratedRegex("(?:src|href)=\"(/assets/[^\"]+)\"")]
    private static partial Regex AssetReference();
}

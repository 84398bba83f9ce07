using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>The JSON routes (gRPC JSON transcoding) go through the same token check and role check as gRPC.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class JsonApiAuthTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task JsonRoutesCheckTokensAndRolesLikeGrpc()
    {
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-json", count: 1);
        var app = scenario.Apps[0];
        using var http = new HttpClient { BaseAddress = new Uri(scenario.Controller.HttpUrl) };

        // No token: refused, on reads and on writes.
        var (status, body) = await SendAsync(http, HttpMethod.Get, "/api/v1/applications", null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("missing bearer token", (string?)body["message"], StringComparison.Ordinal);
        (status, _) = await SendAsync(http, HttpMethod.Post, $"/api/v1/applications/{app}/sync", null, "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        (status, _) = await SendAsync(http, HttpMethod.Get, "/api/v1/applications", "wrong-token");
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        // Read-only: may read, may not sync (PERMISSION_DENIED → 403), and is told its role.
        (status, body) = await SendAsync(http, HttpMethod.Get, "/api/v1/applications", UiScenario.ReadOnlyToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(app, (string?)body["applications"]![0]!["name"]);
        (status, body) = await SendAsync(http, HttpMethod.Post, $"/api/v1/applications/{app}/sync", UiScenario.ReadOnlyToken, "{}");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(7, (int?)body["code"]);
        Assert.Contains("read-only; Sync needs admin", (string?)body["message"], StringComparison.Ordinal);
        (status, _) = await SendAsync(http, HttpMethod.Post, $"/api/v1/applications/{app}/pause", UiScenario.ReadOnlyToken);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, body) = await SendAsync(http, HttpMethod.Get, "/api/v1/session/userinfo", UiScenario.ReadOnlyToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ROLE_READ_ONLY", (string?)body["role"]);
        Assert.Equal("ui-viewer", (string?)body["subject"]);

        (status, body) = await SendAsync(http, HttpMethod.Post, $"/api/v1/pipelines/{UiScenario.Pipeline}/approve", UiScenario.ReadOnlyToken,
            """{"stage": "prod"}""");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("cannot approve", (string?)body["message"], StringComparison.Ordinal);

        // An approver is told which pipelines it may approve (the UI offers Approve only there), and no app actions.
        (status, body) = await SendAsync(http, HttpMethod.Get, "/api/v1/session/userinfo", UiScenario.ApproverToken);
        Assert.Equal("ROLE_APPROVER", (string?)body["role"]);
        Assert.False((bool?)body["allPipelines"] ?? false);
        Assert.Equal([UiScenario.Pipeline], body["pipelines"]!.AsArray().Select(p => (string?)p));
        (status, _) = await SendAsync(http, HttpMethod.Post, $"/api/v1/applications/{app}/sync", UiScenario.ApproverToken, "{}");
        Assert.Equal(HttpStatusCode.Forbidden, status);

        // Admin: approves every pipeline; syncs over JSON, and the result is the gRPC response mapped to JSON.
        (status, body) = await SendAsync(http, HttpMethod.Get, "/api/v1/session/userinfo", UiScenario.AdminToken);
        Assert.Equal("ROLE_ADMIN", (string?)body["role"]);
        Assert.True((bool?)body["allPipelines"]);
        await Eventually.HoldsAsync(() => SendAsync(http, HttpMethod.Get, $"/api/v1/applications/{app}", UiScenario.AdminToken),
            r => (string?)r.Body["syncStatus"] == "SYNC_STATUS_SYNCED", TimeSpan.FromSeconds(60), "the app syncs");
        (status, body) = await SendAsync(http, HttpMethod.Post, $"/api/v1/applications/{app}/sync", UiScenario.AdminToken, """{"prune": true}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Succeeded", (string?)body["operation"]!["phase"]);
        Assert.Equal(app, (string?)body["application"]!["name"]);
    }

    [Fact]
    public async Task AScopedTokenSeesOnlyItsAppsOverJson()
    {
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-scope", count: 2);
        var (mine, other) = (scenario.Apps[0], scenario.Apps[1]);
        using var http = new HttpClient { BaseAddress = new Uri(scenario.Controller.HttpUrl) };

        var (status, body) = await SendAsync(http, HttpMethod.Get, "/api/v1/applications", UiScenario.ScopedToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([mine], body["applications"]!.AsArray().Select(a => (string?)a!["name"]));
        (status, _) = await SendAsync(http, HttpMethod.Get, $"/api/v1/applications/{other}", UiScenario.ScopedToken);
        Assert.Equal(HttpStatusCode.NotFound, status); // absent, so names do not leak
        (status, _) = await SendAsync(http, HttpMethod.Post, $"/api/v1/applications/{other}/sync", UiScenario.ScopedToken, "{}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, body) = await SendAsync(http, HttpMethod.Get, "/api/v1/session/userinfo", UiScenario.ScopedToken);
        Assert.False((bool?)body["allApps"]);
        Assert.Equal([mine], body["apps"]!.AsArray().Select(a => (string?)a));
    }

    [Fact]
    public async Task WatchStreamsNewlineDelimitedJsonAndAChangeArrivesLive()
    {
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-watch", count: 1);
        var app = scenario.Apps[0];
        using var http = new HttpClient { BaseAddress = new Uri(scenario.Controller.HttpUrl), Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/stream/applications?name={app}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", UiScenario.ReadOnlyToken);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        var sha = scenario.Commit(app, "v2");
        // One JSON object per line: the current state first, then each change, until the new revision is synced.
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            var update = JsonNode.Parse(line)!;
            Assert.Equal(app, (string?)update["name"]);
            if ((string?)update["revision"]?["sha"] == sha && (string?)update["syncStatus"] == "SYNC_STATUS_SYNCED")
            {
                return;
            }
        }

        Assert.Fail("the stream ended before the new revision arrived");
    }

    internal static async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpClient http, HttpMethod method, string path,
        string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text)! : new JsonObject());
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>The JSON form of the API, read as curl would (plain HTTP GETs, the streams' first lines): with Secrets in
/// the apps (data, stringData, a copy in last-applied-configuration, a data value that is not valid base64 and fails
/// the sync), no read route returns any of the values, plain or base64.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class JsonApiMaskingTests(LocalClusterFixture cluster)
{
    private const string DataValue = "d4ta-s3cret-json";
    private const string StringDataValue = "str1ng-s3cret-json";
    private const string NotBase64Value = "not*base64*s3cret-json";

    [Fact]
    public async Task NoReadRouteReturnsASecretValue()
    {
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-mask", count: 2, seed: repo =>
        {
            repo.WriteFile("ui-mask-1/secret.yaml", TestManifests.SecretWithCopies(DataValue, StringDataValue));
            repo.WriteFile("ui-mask-2/secret.yaml", TestManifests.SecretNotBase64(NotBase64Value));
        });
        var (good, bad) = (scenario.Apps[0], scenario.Apps[1]);
        using var http = new HttpClient { BaseAddress = new Uri(scenario.Controller.HttpUrl), Timeout = TimeSpan.FromSeconds(60) };
        await Eventually.HoldsAsync(() => Get(http, $"/api/v1/applications/{good}?includeHistory=true"),
            r => r.Contains("SYNC_STATUS_SYNCED", StringComparison.Ordinal) && r.Contains("\"history\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(90), "the app with valid Secrets syncs");
        // The failed sync puts the API server's error (about the invalid value) into the status and the history.
        await Eventually.HoldsAsync(() => Get(http, $"/api/v1/applications/{bad}?includeHistory=true"),
            r => r.Contains("\"result\":\"Failed\"", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the app with an invalid Secret fails to sync");

        var answers = new List<(string Route, string Body)>();
        async Task Read(string route) => answers.Add((route, await Get(http, route)));
        await Read("/api/v1/applications");
        await Read("/api/v1/pipelines");
        foreach (var app in scenario.Apps)
        {
            await Read($"/api/v1/applications/{app}?includeHistory=true");
            await Read($"/api/v1/applications/{app}/history");
            await Read($"/api/v1/applications/{app}/diff");
            await Read($"/api/v1/applications/{app}/manifests");
            await Read($"/api/v1/applications/{app}/resource-tree");
            answers.Add(($"stream {app}", await FirstLine(http, $"/api/v1/stream/applications?name={app}")));
            answers.Add(($"stream tree {app}", await FirstLine(http, $"/api/v1/stream/applications/{app}/resource-tree")));
            var tree = JsonNode.Parse(answers[^1].Body)!;
            var keys = ((tree["result"] ?? tree)["nodes"]?.AsArray() ?? []).Select(n => (string)n!["key"]!).ToList();
            foreach (var key in keys)
            {
                var (status, body) = await JsonApiAuthTests.SendAsync(http, HttpMethod.Get,
                    $"/api/v1/applications/{app}/live-object?key={Uri.EscapeDataString(key)}", UiScenario.ReadOnlyToken);
                answers.Add(($"live-object {key}", status == HttpStatusCode.OK ? body.ToJsonString() : $"{status}"));
            }

            // What an admin may also ask without changing anything: a dry-run sync.
            var (_, dryRun) = await JsonApiAuthTests.SendAsync(http, HttpMethod.Post, $"/api/v1/applications/{app}/sync",
                UiScenario.AdminToken, """{"dryRun": true}""");
            answers.Add(($"dry-run sync {app}", dryRun.ToJsonString()));
        }

        // The routes did answer about the Secrets: masked.
        Assert.Contains(answers, a => a.Route == $"/api/v1/applications/{good}/manifests" && a.Body.Contains("kind: Secret", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.Route.StartsWith("live-object /Secret/", StringComparison.Ordinal) && a.Body.Contains("masked value", StringComparison.Ordinal));
        string[] values = [DataValue, TestManifests.Base64(DataValue), StringDataValue, TestManifests.Base64(StringDataValue), NotBase64Value];
        foreach (var (route, body) in answers)
        {
            // As sent, and with JSON's escapes undone (a serializer may write '+' of base64 as \u002B).
            var text = body + "\n" + Unescaped(body);
            foreach (var value in values)
            {
                Assert.False(text.Contains(value, StringComparison.Ordinal), $"{route} returned the Secret value {value}:\n{body}");
            }
        }
    }

    private static async Task<string> Get(HttpClient http, string route)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, route);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", UiScenario.ReadOnlyToken);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {response.StatusCode} {body}");
        return body;
    }

    /// <summary>A stream's first line: the current state, as newline-delimited JSON.</summary>
    private static async Task<string> FirstLine(HttpClient http, string route)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, route);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", UiScenario.ReadOnlyToken);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException($"{route} ended without a line");
    }

    private static string Unescaped(string json)
    {
        try
        {
            return JsonNode.Parse(json)?.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}

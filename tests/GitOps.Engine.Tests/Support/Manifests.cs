using System.Text.Json.Nodes;

namespace GitOps.Engine.Tests.Support;

/// <summary>Small builders for the objects tests apply.</summary>
internal static class Manifests
{
    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject ConfigMap(string name, string value = "1", string? wave = null) => Parse($$$"""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"{{{Annotations(wave)}}}},"data":{"key":"{{{value}}}"}}
        """);

    /// <summary>A ConfigMap as the cache sees one of an app's (label, tracking mark, resourceVersion), parsed from
    /// text as a watch event is.</summary>
    public static JsonObject TrackedConfigMap(string ns, string app, string name, string resourceVersion) => Parse($$$"""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","resourceVersion":"{{{resourceVersion}}}",
         "labels":{"gitops.dev/app":"{{{app}}}"},"annotations":{"gitops.dev/tracking-id":"{{{app}}}:/ConfigMap:{{{ns}}}/{{{name}}}"} } }
        """);

    public static JsonObject Service(string name) => Parse($$$"""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}"},
         "spec":{"selector":{"app":"{{{name}}}"},"ports":[{"port":80,"targetPort":8080}]}}
        """);

    public static JsonObject Deployment(string name, int replicas = 0, string image = "nginx:1.25",
        string selectorLabel = "web", int? progressDeadlineSeconds = null) => Parse($$$"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"{{{name}}}"},
         "spec":{"replicas":{{{replicas}}},{{{Deadline(progressDeadlineSeconds)}}}
          "selector":{"matchLabels":{"app":"{{{selectorLabel}}}"}},
          "template":{"metadata":{"labels":{"app":"{{{selectorLabel}}}"}},
           "spec":{"containers":[{"name":"web","image":"{{{image}}}","ports":[{"containerPort":80}]}]} } } }
        """);

    public static JsonObject Secret(string name, string password) => Parse($$$"""
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"{{{name}}}"},"type":"Opaque","stringData":{"password":"{{{password}}}","user":"admin"}}
        """);

    public static JsonObject HookJob(string name, string phase, string? deletePolicy = null) => Parse($$$"""
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"{{{name}}}","annotations":{"gitops.dev/hook":"{{{phase}}}"{{{Policy(deletePolicy)}}}}},
         "spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"run","image":"busybox","command":["true"]}]} } } }
        """);

    public static JsonObject With(this JsonObject obj, string annotation, string value)
    {
        var meta = obj["metadata"]!.AsObject();
        var annotations = meta["annotations"] as JsonObject ?? (JsonObject)(meta["annotations"] = new JsonObject());
        annotations[annotation] = value;
        return obj;
    }

    private static string Deadline(int? seconds) => seconds is { } p ? $"\"progressDeadlineSeconds\":{p}," : "";

    private static string Policy(string? policy) => policy is null ? "" : $",\"gitops.dev/hook-delete-policy\":\"{policy}\"";

    private static string Annotations(string? wave) =>
        wave is null ? "" : $",\"annotations\":{{\"gitops.dev/sync-wave\":\"{wave}\"}}";
}

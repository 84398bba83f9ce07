using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Api.V1;
using GitOps.Rendering;
using GitOps.Rendering.Yaml;

namespace GitOps.Cli.Output;

public enum OutputFormat { Table, Json, Yaml, Wide }

/// <summary>Applications as a kubectl-style table, or as JSON/YAML with stable field names
/// (name, syncStatus, healthStatus, revision, paused, resources, history).</summary>
internal static class AppPrinter
{
    // Relaxed escaping: output is for people and jq, not for embedding in HTML.
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Table(IEnumerable<Application> apps)
    {
        var rows = apps.Select(a => new[]
        {
            a.Name, SyncText(a.SyncStatus), HealthText(a.HealthStatus), ShortSha(a.Revision?.Sha),
            a.Paused ? "true" : "false", a.LastSyncedAt is null ? "<none>" : Age(a.LastSyncedAt.ToDateTimeOffset()),
        });
        return Columns(["NAME", "SYNC", "HEALTH", "REVISION", "PAUSED", "LAST-SYNC"], rows);
    }

    public static string Details(Application a)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Name:        {a.Name}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Project:     {(a.Project is { Length: > 0 } p ? p : "default")}\n");
        if (a.Source is { Chart.Length: > 0 } chart)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Source:      {chart.RepoUrl} chart {chart.Chart} @ {chart.TargetRevision}\n");
            sb.Append(CultureInfo.InvariantCulture, $"Chart:       {chart.Chart} {a.Revision?.Sha ?? "<unresolved>"}\n");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"Source:      {a.Source?.RepoUrl} @ {a.Source?.TargetRevision} path {a.Source?.Path}\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"Destination: namespace {a.Destination?.Namespace}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Sync:        {SyncText(a.SyncStatus)}{(a.AutoSync ? $" (automated, prune={Lower(a.Prune)}, selfHeal={Lower(a.SelfHeal)})" : " (manual)")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Health:      {HealthText(a.HealthStatus)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Revision:    {(a.Revision is null ? "<none>" : $"{ShortSha(a.Revision.Sha)} {a.Revision.Subject}")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Paused:      {Lower(a.Paused)}\n");
        if (a.Operation is { } op)
        {
            var of = op.Revision is { Sha.Length: > 0 } r ? $" of {ShortSha(r.Sha)}" : "";
            sb.Append(CultureInfo.InvariantCulture, $"Operation:   {op.Phase}{of} ({op.InitiatedBy}): {op.Message}\n");
        }

        foreach (var c in a.Conditions)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Condition:   {c.Type}: {c.Message}\n");
        }

        if (a.Resources.Count > 0)
        {
            sb.Append('\n').Append(Columns(["GROUP", "KIND", "NAMESPACE", "NAME", "STATUS", "HEALTH", "MESSAGE"],
                a.Resources.Select(r => new[]
                {
                    r.Group, r.Kind, r.Namespace, r.Name, SyncText(r.Status), HealthText(r.Health), r.Message,
                })));
        }

        return sb.ToString();
    }

    public static string History(IEnumerable<HistoryEntry> entries) =>
        Columns(["ID", "DATE", "REVISION", "RESULT", "INITIATED-BY", "MESSAGE"], entries.Select(h => new[]
        {
            h.Id.ToString(CultureInfo.InvariantCulture),
            h.StartedAt?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "",
            $"{ShortSha(h.Revision?.Sha)} {h.Revision?.Subject}".Trim(), h.Count > 1 ? $"{h.Result} ×{h.Count}" : h.Result,
            h.InitiatedBy, h.Message,
        }));

    public static JsonObject ToJson(Application a)
    {
        var obj = new JsonObject
        {
            ["name"] = a.Name,
            ["project"] = a.Project is { Length: > 0 } p ? p : "default",
            ["syncStatus"] = SyncText(a.SyncStatus),
            ["healthStatus"] = HealthText(a.HealthStatus),
            ["revision"] = a.Revision?.Sha ?? "",
            ["revisionSubject"] = a.Revision?.Subject ?? "",
            ["paused"] = a.Paused,
            ["source"] = a.Source is { Chart.Length: > 0 } chart
                ? new JsonObject { ["repoURL"] = chart.RepoUrl, ["chart"] = chart.Chart, ["targetRevision"] = chart.TargetRevision }
                : new JsonObject { ["repoURL"] = a.Source?.RepoUrl, ["targetRevision"] = a.Source?.TargetRevision, ["path"] = a.Source?.Path },
            ["destination"] = new JsonObject { ["namespace"] = a.Destination?.Namespace },
            ["resources"] = new JsonArray(a.Resources.Select(r => (JsonNode)new JsonObject
            {
                ["group"] = r.Group, ["kind"] = r.Kind, ["namespace"] = r.Namespace, ["name"] = r.Name,
                ["status"] = SyncText(r.Status), ["health"] = HealthText(r.Health), ["message"] = r.Message,
            }).ToArray()),
            ["conditions"] = new JsonArray(a.Conditions.Select(c => (JsonNode)new JsonObject { ["type"] = c.Type, ["message"] = c.Message }).ToArray()),
        };
        if (a.Operation is { } op)
        {
            obj["operation"] = new JsonObject { ["phase"] = op.Phase, ["message"] = op.Message, ["initiatedBy"] = op.InitiatedBy };
        }

        if (a.LastSyncedAt is not null)
        {
            obj["lastSyncedAt"] = a.LastSyncedAt.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture);
        }

        if (a.History.Count > 0)
        {
            obj["history"] = new JsonArray(a.History.Select(h => (JsonNode)ToJson(h)).ToArray());
        }

        return obj;
    }

    public static JsonObject ToJson(HistoryEntry h) => new()
    {
        ["id"] = h.Id,
        ["revision"] = h.Revision?.Sha ?? "",
        ["subject"] = h.Revision?.Subject ?? "",
        ["startedAt"] = h.StartedAt?.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture),
        ["finishedAt"] = h.FinishedAt?.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture),
        ["result"] = h.Result,
        ["initiatedBy"] = h.InitiatedBy,
        ["message"] = h.Message,
        ["count"] = Math.Max(1, h.Count),
    };

    /// <summary>JSON or YAML of a node (an object, or an array for lists).</summary>
    public static string Serialize(JsonNode node, OutputFormat format) => format switch
    {
        OutputFormat.Yaml => node is JsonObject o
            ? ManifestYaml.Write([new Manifest(o)])
            : ManifestYaml.Write([new Manifest(new JsonObject { ["items"] = node.DeepClone() })]),
        _ => node.ToJsonString(Indented) + "\n",
    };

    public static string SyncText(SyncStatus s) => s switch
    {
        SyncStatus.Synced => "Synced",
        SyncStatus.OutOfSync => "OutOfSync",
        _ => "Unknown",
    };

    public static string HealthText(HealthStatus h) => h switch
    {
        HealthStatus.Healthy => "Healthy",
        HealthStatus.Progressing => "Progressing",
        HealthStatus.Degraded => "Degraded",
        HealthStatus.Suspended => "Suspended",
        HealthStatus.Missing => "Missing",
        _ => "Unknown",
    };

    /// <summary>A commit SHA shortened to 7; a chart version (an app from a chart repository) as it is.</summary>
    public static string ShortSha(string? sha) =>
        string.IsNullOrEmpty(sha) ? "<none>" : sha.Length > 7 && sha.All(char.IsAsciiHexDigit) ? sha[..7] : sha;

    private static string Lower(bool b) => b ? "true" : "false";

    private static string Age(DateTimeOffset at)
    {
        var age = DateTimeOffset.UtcNow - at;
        return age.TotalSeconds < 120 ? $"{(int)age.TotalSeconds}s"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    /// <summary>Left-aligned columns separated by three spaces, like kubectl.</summary>
    internal static string Columns(string[] headers, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(headers).ToList();
        var widths = headers.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in all)
        {
            sb.Append(string.Join("   ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }

        return sb.ToString();
    }
}

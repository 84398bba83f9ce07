using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using GitOps.Controller.Applications;
using GitOps.Primitives;

namespace GitOps.Controller.Promotion;

/// <summary>Reads Pipeline objects (`apiVersion: gitops.dev/v1alpha1`, `kind: Pipeline`) from the CRD or the
/// --pipelines file into the spec model, and checks what can be checked without the applications.</summary>
internal static partial class PipelineDocuments
{
    public const string Kind = "Pipeline";
    public const string Plural = "pipelines";

    private static readonly JsonSerializerOptions Json = CreateOptions();

    public static Pipeline FromObject(JsonObject obj, string origin)
    {
        if ((string?)obj["kind"] != Kind || (string?)obj["apiVersion"] != ApplicationDocuments.ApiVersion)
        {
            throw new InvalidDataException($"{origin}: expected apiVersion {ApplicationDocuments.ApiVersion}, kind {Kind}");
        }

        var name = (string?)obj["metadata"]?["name"];
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidDataException($"{origin}: metadata.name is required");
        }

        PipelineSpec spec;
        try
        {
            spec = obj["spec"]?.Deserialize<PipelineSpec>(Json)
                   ?? throw new InvalidDataException($"{origin}: pipeline '{name}' has no spec");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{origin}: pipeline '{name}': invalid spec at {e.Path}: {e.Message}", e);
        }

        var pipeline = new Pipeline(name, spec);
        var errors = Validate(pipeline);
        return errors.Count == 0
            ? pipeline
            : throw new InvalidDataException($"{origin}: pipeline '{name}': {string.Join("; ", errors)}");
    }

    /// <summary>Every Pipeline of a YAML file (multi-document).</summary>
    public static IReadOnlyList<Pipeline> LoadFile(string path)
    {
        var pipelines = SimpleYaml.ReadDocuments(File.ReadAllText(path), path)
            .Select(d => FromObject(d.Document, $"{path}:{d.Line}"))
            .ToList();
        var duplicate = pipelines.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? pipelines
            : throw new InvalidDataException($"{path}: pipeline '{duplicate.Key}' is declared twice");
    }

    public static IReadOnlyList<string> Validate(Pipeline pipeline)
    {
        var errors = new List<string>();
        if (!DnsLabel().IsMatch(pipeline.Name))
        {
            errors.Add($"name '{pipeline.Name}' must be a DNS-1123 label");
        }

        var stages = pipeline.Spec.Stages;
        if (stages.Count < 2)
        {
            errors.Add("spec.stages needs at least two stages (a source stage and one it promotes into)");
        }

        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            var at = $"spec.stages[{i}]";
            if (!DnsLabel().IsMatch(stage.Name))
            {
                errors.Add($"{at}.name '{stage.Name}' must be a DNS-1123 label");
            }

            if (string.IsNullOrEmpty(stage.Application))
            {
                errors.Add($"{at}.application is required");
            }

            if (i == 0 && stage.Gates is not null)
            {
                errors.Add($"{at}.gates: the first stage follows its source; gates guard the stages after it");
            }

            if (i == 0 && stage.AutoRollback is not null)
            {
                errors.Add($"{at}.autoRollback: the first stage follows its source; only promoted stages can be rolled back");
            }

            if (stage.AutoRollback is { } rollback && !GoDuration.TryParseTimeSpan(rollback.Window, out _))
            {
                errors.Add($"{at}.autoRollback.window '{rollback.Window}' is not a duration (e.g. 10m)");
            }

            if (stage.Gates?.RequireHealthyFor is { } soak && !GoDuration.TryParseTimeSpan(soak, out _))
            {
                errors.Add($"{at}.gates.requireHealthyFor '{soak}' is not a duration (e.g. 30s, 2m)");
            }

            if (stage.Gates?.Verification is { } verification)
            {
                if (verification.Job?["template"] is not JsonObject)
                {
                    errors.Add($"{at}.gates.verification.job needs a template (a batch/v1 JobSpec)");
                }

                if (!GoDuration.TryParseTimeSpan(verification.Timeout, out _))
                {
                    errors.Add($"{at}.gates.verification.timeout '{verification.Timeout}' is not a duration");
                }
            }

            if (stage.Gates?.Approval is { Count: < 1 })
            {
                errors.Add($"{at}.gates.approval.count must be at least 1");
            }
        }

        foreach (var group in stages.GroupBy(s => s.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"stage '{group.Key}' is declared twice");
        }

        foreach (var group in stages.GroupBy(s => s.Application).Where(g => g.Count() > 1))
        {
            errors.Add($"application '{group.Key}' is bound to more than one stage");
        }

        return errors;
    }

    public static TimeSpan Duration(string? value, TimeSpan fallback) =>
        value is not null && GoDuration.TryParseTimeSpan(value, out var parsed) ? parsed : fallback;

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowTrailingCommas = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}

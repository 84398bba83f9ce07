using System.Text.RegularExpressions;
using GitOps.Primitives;

namespace GitOps.Controller.Applications;

/// <summary>Rejects an invalid spec as a whole (an InvalidSpec condition), so nothing is half-applied.</summary>
internal static partial class ApplicationValidator
{
    public static IReadOnlyList<string> Validate(Application app)
    {
        var errors = new List<string>();
        if (!DnsLabel().IsMatch(app.Name))
        {
            errors.Add($"name '{app.Name}' must be a DNS-1123 label (lowercase letters, digits, '-', at most 63)");
        }

        var spec = app.Spec;
        if (string.IsNullOrWhiteSpace(spec.Source.RepoUrl))
        {
            errors.Add("spec.source.repoURL is required");
        }

        if (Path.IsPathRooted(spec.Source.Path) || spec.Source.Path.Split('/', '\\').Contains(".."))
        {
            errors.Add($"spec.source.path '{spec.Source.Path}' must be relative and stay inside the repository");
        }

        if (spec.Sources.Count > 0)
        {
            if (spec.Sources.Count(s => string.IsNullOrEmpty(s.Ref)) != 1)
            {
                errors.Add("spec.sources: exactly one source without a ref (the chart or path that is rendered) is required");
            }

            foreach (var refSource in spec.Source.ValueSources)
            {
                if (!RefName().IsMatch(refSource.Ref!) || spec.Source.ValueSources.Count(s => s.Ref == refSource.Ref) > 1)
                {
                    errors.Add($"spec.sources: ref '{refSource.Ref}' must be a unique name of letters, digits, '-' and '_'");
                }

                if (refSource.IsChart || string.IsNullOrWhiteSpace(refSource.RepoUrl))
                {
                    errors.Add($"spec.sources: ref '{refSource.Ref}' must be a git repository (repoURL, targetRevision), not a chart");
                }
            }
        }

        foreach (var file in spec.Source.Helm?.ValueFiles ?? [])
        {
            if (file.StartsWith('$') && !spec.Source.ValueSources.Any(s => file.StartsWith($"${s.Ref}/", StringComparison.Ordinal)))
            {
                errors.Add($"spec.source.helm.valueFiles: '{file}' names no ref source (spec.sources[].ref)");
            }
        }

        if (spec.Source.IsChart)
        {
            if (!ChartName().IsMatch(spec.Source.Chart!))
            {
                errors.Add($"spec.source.chart '{spec.Source.Chart}' is not a chart name");
            }

            if (!Uri.TryCreate(spec.Source.RepoUrl, UriKind.Absolute, out var repo) || repo.Scheme is not ("https" or "http" or "oci"))
            {
                errors.Add("spec.source.repoURL must be an https://, http:// or oci:// chart repository when spec.source.chart is set");
            }

            if (spec.Source.Directory is not null || spec.Source.Kustomize is not null)
            {
                errors.Add("spec.source: a chart is rendered with helm; directory and kustomize do not apply");
            }
        }

        if (string.IsNullOrWhiteSpace(spec.Destination.Namespace))
        {
            errors.Add("spec.destination.namespace is required");
        }
        else if (!DnsLabel().IsMatch(spec.Destination.Namespace))
        {
            errors.Add($"spec.destination.namespace '{spec.Destination.Namespace}' is not a valid namespace name");
        }

        if (spec.RevisionHistoryLimit is < 1 or > 1000)
        {
            errors.Add("spec.revisionHistoryLimit must be between 1 and 1000");
        }

        var renderers = (spec.Source.Directory is null ? 0 : 1) + (spec.Source.Kustomize is null ? 0 : 1)
                        + (spec.Source.Helm is null ? 0 : 1);
        if (renderers > 1)
        {
            errors.Add("spec.source: at most one of directory, kustomize, helm may be set");
        }

        // Value files are relative to the chart directory and may be anywhere in the repository, as in Argo CD;
        // "$ref/path" ones are relative to the ref source's root and stay inside it.
        foreach (var file in spec.Source.Helm?.ValueFiles ?? [])
        {
            var (basePath, relative) = file.StartsWith('$') && file.IndexOf('/', StringComparison.Ordinal) is var slash and > 0
                ? ("", file[(slash + 1)..])
                : (spec.Source.Path, file);
            if (Path.IsPathRooted(relative) || ClimbsOut(basePath + "/" + relative))
            {
                errors.Add($"spec.source.helm.valueFiles: '{file}' must be relative to the chart and stay inside the repository");
            }
        }

        if (spec.SyncPolicy?.OptionValue(SyncOptionNames.PrunePropagationPolicy) is { } propagation
            && !SyncOptionNames.PropagationPolicies.Contains(propagation, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"spec.syncPolicy.syncOptions: {SyncOptionNames.PrunePropagationPolicy}={propagation} must be one of " +
                       string.Join(", ", SyncOptionNames.PropagationPolicies));
        }

        if (spec.SyncPolicy?.Retry is { } retry)
        {
            if (retry.Limit < 0)
            {
                errors.Add("spec.syncPolicy.retry.limit must not be negative");
            }

            if (retry.Backoff is { } backoff)
            {
                if (!GoDuration.TryParseTimeSpan(backoff.Duration, out _))
                {
                    errors.Add($"spec.syncPolicy.retry.backoff.duration '{backoff.Duration}' is not a duration (e.g. 5s, 2m, 1h30m)");
                }

                if (!GoDuration.TryParseTimeSpan(backoff.MaxDuration, out _))
                {
                    errors.Add($"spec.syncPolicy.retry.backoff.maxDuration '{backoff.MaxDuration}' is not a duration (e.g. 3m)");
                }

                if (backoff.Factor < 1)
                {
                    errors.Add("spec.syncPolicy.retry.backoff.factor must be at least 1");
                }
            }
        }

        return errors;
    }

    private static bool ClimbsOut(string path)
    {
        var depth = 0;
        foreach (var part in path.Split('/', '\\'))
        {
            if (part == "..") depth--;
            else if (part.Length > 0 && part != ".") depth++;
            if (depth < 0) return true;
        }
        return false;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    // Helm's chart names: letters, digits, '-', '_' and '.', not starting with a dot.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$")]
    private static partial Regex ChartName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex RefName();
}

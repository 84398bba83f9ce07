using System.Text.RegularExpressions;

namespace GitOps.Engine;

/// <summary>
/// Installation IDs: which controller an object belongs to when several run on one cluster. The tracking mark
/// names only the app, so two installations with an app of the same name would otherwise each take the other's
/// objects for their own (and prune or overwrite them).
/// </summary>
public static partial class Installation
{
    /// <summary>Why <paramref name="id"/> cannot be an installation ID, or null when it can. It must be a valid
    /// label value (63 characters at most, alphanumerics with '-', '_' or '.' inside), so it can also be selected on.</summary>
    public static string? Problem(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length is > 0 and <= 63 && LabelValue().IsMatch(id)
            ? null
            : $"invalid installation ID \"{id}\": 1-63 characters, letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
    }

    /// <summary>
    /// Whether an object stamped with <paramref name="stamped"/> (null: no installation-id annotation) may be ours,
    /// for an engine whose own ID is <paramref name="ours"/> (null: none configured). As Argo CD's installationID:
    /// an object stamped with another ID — with any ID when we have none — is another installation's, and treated
    /// as an unmarked object (adoption by consent only). Unlike Argo CD, an unstamped object stays ours when we have
    /// an ID (its tracking mark decides): setting an ID on a running installation must not orphan its objects, and
    /// the next sync stamps them.
    /// </summary>
    internal static bool MayOwn(string? stamped, string? ours) => stamped is null || stamped == ours;

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();
}

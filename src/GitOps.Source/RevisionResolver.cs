using GitOps.Primitives;
using LibGit2Sharp;

namespace GitOps.Source;

/// <summary>Turns a revision as users write it into a commit of a mirror.</summary>
internal static class RevisionResolver
{
    public static bool IsFullSha(string revision) =>
        revision.Length == 40 && revision.All(char.IsAsciiHexDigit);

    /// <summary>The commit for <paramref name="revision"/>, or null when the mirror does not have it.</summary>
    public static ResolvedRevision? Resolve(Repository repo, string revision)
    {
        var rev = revision.Trim();
        if (rev.Length == 0 || rev == "HEAD")
        {
            return repo.Refs.Head?.ResolveToDirectReference() is { } head ? Describe(head.Target, head.CanonicalName) : null;
        }

        foreach (var name in (string[])[rev.StartsWith("refs/", StringComparison.Ordinal) ? rev : "", "refs/heads/" + rev, "refs/tags/" + rev])
        {
            if (name.Length > 0 && Reference.IsValidName(name) && repo.Refs[name]?.ResolveToDirectReference() is { } direct)
            {
                return Describe(direct.Target, name);
            }
        }

        if (rev.Length is >= 4 and <= 40 && rev.All(char.IsAsciiHexDigit))
        {
            try
            {
                if (repo.Lookup(rev) is { } found)
                {
                    return Describe(found, null);
                }
            }
            catch (AmbiguousSpecificationException e)
            {
                throw new GitSourceException(GitSourceErrorKind.RevisionNotFound,
                    $"short SHA {rev} is ambiguous: give more characters", e);
            }
        }

        return rev.Any(char.IsAsciiDigit) || rev.Contains('*', StringComparison.Ordinal) ? ResolveRange(repo, rev) : null;
    }

    private static ResolvedRevision? ResolveRange(Repository repo, string rev)
    {
        if (SemVerConstraint.TryParse(rev) is not { } range)
        {
            return null;
        }

        (SemVersion Version, Reference Tag)? best = null;
        foreach (var tag in repo.Refs.Where(r => r.CanonicalName.StartsWith("refs/tags/", StringComparison.Ordinal)))
        {
            if (SemVersion.TryParse(tag.CanonicalName["refs/tags/".Length..]) is { } version && range.Check(version) &&
                (best is null || version.CompareTo(best.Value.Version) > 0))
            {
                best = (version, tag);
            }
        }

        return best is { } b && b.Tag.ResolveToDirectReference() is { } direct
            ? Describe(direct.Target, b.Tag.CanonicalName)
            : null;
    }

    private static ResolvedRevision? Describe(GitObject target, string? reference)
    {
        Commit commit;
        try
        {
            commit = target.Peel<Commit>();
        }
        catch (LibGit2SharpException)
        {
            return null; // A tag of a tree or blob names no commit.
        }

        return new ResolvedRevision(commit.Sha, commit.Author.Name, commit.Author.Email, commit.Author.When,
            commit.MessageShort, reference);
    }
}

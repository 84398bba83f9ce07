using System.Text;

namespace GitOps.Engine.Diff;

/// <summary>Line-based unified diff (LCS), three lines of context, like `diff -u` / `kubectl diff`.</summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    public static string Create(string fromText, string toText, string fromLabel, string toLabel)
    {
        var a = Lines(fromText);
        var b = Lines(toText);
        var script = EditScript(a, b);
        if (script.All(e => e.Op == ' '))
        {
            return "";
        }

        var sb = new StringBuilder();
        sb.Append("--- ").Append(fromLabel).Append('\n').Append("+++ ").Append(toLabel).Append('\n');
        var i = 0;
        while (i < script.Count)
        {
            if (script[i].Op == ' ')
            {
                i++;
                continue;
            }

            // Grow a hunk from this change, merging changes whose context would overlap.
            var start = Math.Max(0, i - Context);
            var end = i;
            while (true)
            {
                while (end < script.Count && script[end].Op != ' ')
                {
                    end++;
                }

                var next = end;
                while (next < script.Count && script[next].Op == ' ')
                {
                    next++;
                }

                if (next < script.Count && next - end <= 2 * Context)
                {
                    end = next;
                    continue;
                }

                end = Math.Min(script.Count, end + Context);
                break;
            }

            var hunk = script.GetRange(start, end - start);
            var aStart = script[start].A;
            var bStart = script[start].B;
            var aLen = hunk.Count(e => e.Op != '+');
            var bLen = hunk.Count(e => e.Op != '-');
            sb.Append($"@@ -{aStart + (aLen > 0 ? 1 : 0)},{aLen} +{bStart + (bLen > 0 ? 1 : 0)},{bLen} @@\n");
            foreach (var e in hunk)
            {
                sb.Append(e.Op).Append(e.Text).Append('\n');
            }

            i = end;
        }

        return sb.ToString();
    }

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');

    private readonly record struct Edit(char Op, string Text, int A, int B);

    private static List<Edit> EditScript(string[] a, string[] b)
    {
        // Objects are small (hundreds of lines): a plain LCS table is fine.
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var script = new List<Edit>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                script.Add(new Edit(' ', a[x], x++, y++));
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                script.Add(new Edit('-', a[x], x++, y));
            }
            else
            {
                script.Add(new Edit('+', b[y], x, y++));
            }
        }

        return script;
    }
}

namespace GitOps.Rendering.Helm;

/// <summary>`gitops render-template`: one template file against a data file. (Stub: being built under issue 4.)</summary>
public static class TemplateTool
{
    /// <param name="templateFile">The template to evaluate.</param>
    /// <param name="dataFile">JSON or YAML for the root context `.`, or null for an empty map.</param>
    public static string Render(string templateFile, string? dataFile) =>
        throw new NotSupportedException($"template evaluation is not implemented yet ({templateFile}, {dataFile})");
}

using GitOps.Templating.Functions;

namespace GitOps.Templating.Tests;

/// <summary>One template against data with text/template's defaults and the whole function library, as
/// `gitops render-template` runs it.</summary>
internal static class TemplateText
{
    public static string Render(string name, string text, object? data)
    {
        var set = new TemplateSet(FunctionLibrary.Create());
        set.Parse(name, text);
        return set.Execute(name, data, ExecutionLimits.Default);
    }
}

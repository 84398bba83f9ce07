using GitOps.Templating;
using GitOps.Templating.Functions;
using GitOps.Templating.Serialization;

namespace GitOps.Rendering.Helm;

/// <summary>`gitops render-template`: one template file against a data file, with text/template's defaults
/// (a missing map key prints "&lt;no value&gt;") and the Sprig/Helm function library.</summary>
public static class TemplateTool
{
    /// <param name="templateFile">The template to evaluate.</param>
    /// <param name="dataFile">JSON or YAML for the root context `.`, or null for an empty map.</param>
    public static string Render(string templateFile, string? dataFile)
    {
        var text = File.ReadAllText(templateFile);
        object? data = GoValues.NewMap();
        if (dataFile is not null)
        {
            var dataText = File.ReadAllText(dataFile);
            try
            {
                // JSON is YAML; numbers become float64 either way, as Go's json.Unmarshal gives.
                data = GoYamlReader.Read(dataText, numbersAsFloat: true);
            }
            catch (YamlReadException e)
            {
                throw new RenderException(e.Message, dataFile, e.Line, e.Column);
            }
        }
        return RenderText(Path.GetFileName(templateFile), text, data);
    }

    /// <summary>Renders template text against data already in the Go value model.</summary>
    internal static string RenderText(string name, string text, object? data, CancellationToken cancellationToken = default)
    {
        var set = new TemplateSet(FunctionLibrary.Create());
        try
        {
            set.Parse(name, text);
            return set.Execute(name, data, ExecutionLimits.Default, cancellationToken);
        }
        catch (TemplateException e)
        {
            throw new RenderException(e.Message, inner: e);
        }
    }
}

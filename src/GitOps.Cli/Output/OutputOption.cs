using System.CommandLine;
using System.Text.Json.Nodes;

namespace GitOps.Cli.Output;

/// <summary>The -o/--output option every command group shares, and printing by it: a table for people, JSON or
/// YAML for scripts.</summary>
internal static class OutputOption
{
    public static Option<OutputFormat> Create() => new("--output", "-o")
    {
        Description = "Output format: table (default), json, yaml",
        HelpName = "table|json|yaml",
        Recursive = true,
        CustomParser = r => r.Tokens.Count == 0 ? OutputFormat.Table : r.Tokens[0].Value switch
        {
            "table" => OutputFormat.Table,
            "wide" => OutputFormat.Wide,
            "json" => OutputFormat.Json,
            "yaml" => OutputFormat.Yaml,
            var other => Fail(r, $"unknown output format '{other}' (table, json, yaml)"),
        },
    };

    public static void Print(ParseResult parse, Option<OutputFormat> option, string? empty, Func<string> table, Func<JsonNode> json)
    {
        var format = parse.GetValue(option);
        Console.Out.Write(format switch
        {
            OutputFormat.Json or OutputFormat.Yaml => AppPrinter.Serialize(json(), format),
            _ => empty ?? table(),
        });
    }

    private static OutputFormat Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return OutputFormat.Table;
    }
}

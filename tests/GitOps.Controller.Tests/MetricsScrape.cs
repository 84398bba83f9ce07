using System.Globalization;

namespace GitOps.Controller.Tests;

/// <summary>Scrapes a controller's /metrics and reads samples from the Prometheus text.</summary>
internal sealed class MetricsScrape(string text)
{
    public string Text { get; } = text;

    public static async Task<MetricsScrape> FromAsync(ControllerHarness controller)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{controller.HttpPort}/metrics"));
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return new MetricsScrape(await response.Content.ReadAsStringAsync());
    }

    public bool HasFamily(string name, string type) => Text.Contains($"# TYPE {name} {type}\n", StringComparison.Ordinal);

    /// <summary>The sample's value ("name" or "name{a=\"b\"}", labels in sorted order), or null when absent.</summary>
    public double? Value(string sample)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith(sample + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(sample.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}

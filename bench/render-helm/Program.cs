using System.Diagnostics;
using System.Globalization;
using System.Text;
using GitOps.Rendering;
using GitOps.Rendering.Helm;

// Renders a generated chart (40 templates using _helpers.tpl) 100 times and prints per-render time and
// allocations. Usage: dotnet run -c Release [-- iterations]
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
await Scenario(templates: 40, iterations);
await Scenario(templates: 5, iterations);

static async Task Scenario(int templates, int iterations)
{
    var root = Directory.CreateTempSubdirectory("render-helm-bench-").FullName;
    try
    {
        var chart = BenchChart.Write(root, templates);
        var renderer = new HelmRenderer();
        var options = new HelmOptions(Set: ["replicaCount=3", "image.tag=v2"]);

        // Warm-up: JIT tiers, function table, regexes.
        var first = await renderer.TemplateAsync(root, chart, options, null, CancellationToken.None);
        for (var i = 0; i < 50; i++) await renderer.TemplateAsync(root, chart, options, null, CancellationToken.None);

        var times = new double[iterations];
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var sw = Stopwatch.StartNew();
            await renderer.TemplateAsync(root, chart, options, null, CancellationToken.None);
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        total.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Array.Sort(times);
        Console.WriteLine($"== chart with {templates} templates (incl. _helpers.tpl): {first.Manifests.Count} objects, {first.Text.Length / 1024.0:F1} KiB of YAML");
        Console.WriteLine($"renders: {iterations}, total {total.Elapsed.TotalMilliseconds:F0} ms");
        Console.WriteLine($"per render: mean {total.Elapsed.TotalMilliseconds / iterations:F2} ms, median {times[iterations / 2]:F2} ms, p95 {times[(int)(iterations * 0.95)]:F2} ms, min {times[0]:F2} ms");
        Console.WriteLine($"process CPU per render: {cpu.TotalMilliseconds / iterations:F2} ms (includes GC and runtime background threads)");
        Console.WriteLine($"allocated per render: {allocated / (double)iterations / 1024 / 1024:F2} MiB");
    }
    finally
    {
        Directory.Delete(root, recursive: true);
    }
}

internal static class BenchChart
{
    /// <summary>Writes a chart whose templates look like real ones: helpers, labels, ranges, toYaml, conditionals.</summary>
    public static string Write(string root, int templates)
    {
        var dir = Path.Combine(root, "bench");
        Directory.CreateDirectory(Path.Combine(dir, "templates"));
        File.WriteAllText(Path.Combine(dir, "Chart.yaml"), "apiVersion: v2\nname: bench\nversion: 1.0.0\nappVersion: \"1.0\"\n");
        File.WriteAllText(Path.Combine(dir, "values.yaml"), """
            replicaCount: 1
            image:
              repository: example/app
              tag: ""
              pullPolicy: IfNotPresent
            env:
              A: "1"
              B: two
              C: "true"
              LOG_LEVEL: info
            ports:
              - name: http
                port: 80
              - name: metrics
                port: 9090
            resources:
              limits: {cpu: 500m, memory: 256Mi}
              requests: {cpu: 100m, memory: 128Mi}
            podAnnotations:
              prometheus.io/scrape: "true"
            nodeSelector: {}
            tolerations:
              - {key: dedicated, operator: Equal, value: app, effect: NoSchedule}
            """);
        File.WriteAllText(Path.Combine(dir, "templates", "_helpers.tpl"), """
            {{- define "bench.name" -}}
            {{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
            {{- end }}
            {{- define "bench.fullname" -}}
            {{- printf "%s-%s" .Release.Name (include "bench.name" .) | trunc 63 | trimSuffix "-" }}
            {{- end }}
            {{- define "bench.selectorLabels" -}}
            app.kubernetes.io/name: {{ include "bench.name" . }}
            app.kubernetes.io/instance: {{ .Release.Name }}
            {{- end }}
            {{- define "bench.labels" -}}
            helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
            {{ include "bench.selectorLabels" . }}
            app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
            app.kubernetes.io/managed-by: {{ .Release.Service }}
            {{- end }}
            """);
        for (var i = 0; i < templates - 1; i++)
        {
            var sb = new StringBuilder();
            var suffix = i.ToString("D2", CultureInfo.InvariantCulture);
            if (i % 3 == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $$$"""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: {{ include "bench.fullname" . }}-{{{suffix}}}
                      labels:
                        {{- include "bench.labels" . | nindent 4 }}
                    data:
                    {{- range $k, $v := .Values.env }}
                      {{ $k }}: {{ $v | quote }}
                    {{- end }}
                      values.yaml: |
                        {{- toYaml .Values.resources | nindent 4 }}
                    """);
            }
            else if (i % 3 == 1)
            {
                sb.Append(CultureInfo.InvariantCulture, $$$"""
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: {{ include "bench.fullname" . }}-{{{suffix}}}
                      labels:
                        {{- include "bench.labels" . | nindent 4 }}
                    spec:
                      ports:
                      {{- range .Values.ports }}
                        - name: {{ .name }}
                          port: {{ .port }}
                          targetPort: {{ .name }}
                      {{- end }}
                      selector:
                        {{- include "bench.selectorLabels" . | nindent 4 }}
                    """);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $$$"""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: {{ include "bench.fullname" . }}-{{{suffix}}}
                      labels:
                        {{- include "bench.labels" . | nindent 4 }}
                    spec:
                      replicas: {{ .Values.replicaCount }}
                      selector:
                        matchLabels:
                          {{- include "bench.selectorLabels" . | nindent 6 }}
                      template:
                        metadata:
                          {{- with .Values.podAnnotations }}
                          annotations:
                            {{- toYaml . | nindent 8 }}
                          {{- end }}
                          labels:
                            {{- include "bench.selectorLabels" . | nindent 8 }}
                        spec:
                          containers:
                            - name: app
                              image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
                              imagePullPolicy: {{ .Values.image.pullPolicy }}
                              env:
                              {{- range $k, $v := .Values.env }}
                                - name: {{ $k }}
                                  value: {{ $v | quote }}
                              {{- end }}
                              resources:
                                {{- toYaml .Values.resources | nindent 12 }}
                          {{- with .Values.tolerations }}
                          tolerations:
                            {{- toYaml . | nindent 8 }}
                          {{- end }}
                    """);
            }
            File.WriteAllText(Path.Combine(dir, "templates", $"t{suffix}.yaml"), sb.ToString());
        }
        return dir;
    }
}

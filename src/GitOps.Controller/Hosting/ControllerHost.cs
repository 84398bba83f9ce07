using System.Net;
using GitOps.Controller.Adapters;
using GitOps.Controller.Api;
using GitOps.Controller.Applications;
using GitOps.Controller.ApplicationSources;
using GitOps.Controller.HighAvailability;
using GitOps.Controller.Notifications;
using GitOps.Controller.Observability;
using GitOps.Controller.Promotion;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Controller.Triggers;
using GitOps.Controller.Ui;
using GitOps.Rendering;
using GitOps.Engine;
using GitOps.Source;
using GitOps.Source.Charts;
using GitOps.Source.Webhooks;
using k8s;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Formatting.Compact;

namespace GitOps.Controller.Hosting;

/// <summary>Composition of the controller: configuration, logging, the pipeline stages, the loop, the API.</summary>
internal static class ControllerHost
{
    /// <summary>Friendly flags mapped onto configuration keys.</summary>
    private static readonly Dictionary<string, string> Switches = new()
    {
        ["--applications"] = "Controller:ApplicationsFile",
        ["--applications-namespace"] = "Controller:ApplicationsNamespace",
        ["--state-dir"] = "Controller:StateDirectory",
        ["--cache-dir"] = "Controller:CacheDirectory",
        ["--kubeconfig"] = "Controller:Kubeconfig",
        ["--installation-id"] = "Controller:InstallationId",
        ["--interval"] = "Controller:ReconcileInterval",
        ["--concurrency"] = "Controller:Concurrency",
        ["--tokens"] = "Controller:TokensFile",
        ["--git-credentials"] = "Git:CredentialsFile",
        ["--credentials"] = "Git:CredentialsFile",
        ["--grpc-listen"] = "Listen:Grpc",
        ["--http-listen"] = "Listen:Http",
        ["--log-format"] = "Logging:Format",
        ["--tls-cert"] = "Listen:TlsCertificate",
        ["--tls-key"] = "Listen:TlsKey",
        ["--leader-elect"] = "Controller:LeaderElect",
        ["--lease-namespace"] = "Controller:LeaseNamespace",
        ["--shard"] = "Controller:Shard",
        ["--shards"] = "Controller:Shards",
        ["--shutdown-grace"] = "Controller:ShutdownGrace",
        ["--shutdown-timeout"] = "Controller:ShutdownTimeout",
        ["--notifications"] = "Controller:NotificationsFile",
        ["--ui"] = "Ui:Enabled",
        ["--pipelines"] = "Promotion:PipelinesFile",
        ["--pipeline-interval"] = "Promotion:Interval",
    };

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddEnvironmentVariables("GITOPS_").AddCommandLine(NormalizeFlags(args, "--leader-elect"), Switches);
        var configuration = builder.Configuration;

        builder.Services.AddSerilog((_, lc) =>
        {
            lc.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Grpc", Serilog.Events.LogEventLevel.Warning)
                .Enrich.FromLogContext();
            if (configuration["Logging:Format"] == "json")
            {
                lc.WriteTo.Console(new CompactJsonFormatter());
            }
            else
            {
                lc.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}");
            }
        });

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var tls = LoadCertificate(configuration["Listen:TlsCertificate"], configuration["Listen:TlsKey"]);
            kestrel.Listen(ParseEndpoint(configuration["Listen:Grpc"] ?? "127.0.0.1:9090"), o =>
            {
                o.Protocols = HttpProtocols.Http2;
                if (tls is not null)
                {
                    o.UseHttps(tls);
                }
            });
            kestrel.Listen(ParseEndpoint(configuration["Listen:Http"] ?? "127.0.0.1:8080"), o => o.Protocols = HttpProtocols.Http1);
        });

        var services = builder.Services;
        var settings = configuration.GetSection("Controller").Get<ControllerOptions>() ?? new ControllerOptions();
        services.AddSingleton(Options.Create(settings));
        if (settings.ShutdownGrace >= settings.ShutdownTimeout)
        {
            throw new InvalidOperationException(
                $"--shutdown-grace ({settings.ShutdownGrace}) must be shorter than --shutdown-timeout ({settings.ShutdownTimeout}): the rest of the stop comes after the reconciles");
        }

        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ApplicationRegistry>();
        services.AddSingleton<WorkQueue>();
        services.AddSingleton<StatusHub>();
        services.AddSingleton<RevisionPool>();
        services.AddSingleton<ResourceTreeChanges>();
        if (settings.NotificationsFile is { } notifications)
        {
            services.AddNotifications(notifications);
        }
        if (settings.ApplicationsFile is null)
        {
            services.AddCrdApplications();
        }
        else
        {
            services.AddSingleton<IStateStore>(sp => new LocalStateStore(settings.StateDirectory, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<RevisionPool>()));
        }
        services.AddSingleton(_ => new Kubernetes(KubeConfig(settings)));
        services.AddSingleton<IKubernetes>(sp => sp.GetRequiredService<Kubernetes>());
        var installationId = InstallationId(settings);
        services.AddSingleton<IClusterEngine>(sp => new ClusterEngine(sp.GetRequiredService<Kubernetes>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ClusterEngine>>(), installationId));
        services.AddHostedService<ClusterEngineLifetime>(); // its watches stop before the client is disposed
        services.AddGitSource(new GitSourceOptions
        {
            CacheDirectory = settings.CacheDirectory,
            CredentialsFile = configuration["Git:CredentialsFile"],
        });
        // One credentials file for git, chart repositories and registries (docs/chart-sources.md).
        services.AddChartSource(new ChartSourceOptions
        {
            CacheDirectory = settings.CacheDirectory,
            CredentialsFile = configuration["Git:CredentialsFile"],
        });
        services.AddGitWebhooks(configuration.GetSection("Webhooks").Get<WebhookOptions>() ?? new WebhookOptions());
        services.AddSingleton<IRefreshQueue, WebhookRefreshQueue>();
        services.AddSingleton(_ => ApplicationRender.CreateRenderer());
        services.AddSingleton<IAppRenderer, RenderingAdapter>();
        services.AddSingleton<ISourceGateway, SourceAdapter>();
        services.AddSingleton<IClusterGateway, ClusterAdapter>();
        services.AddSingleton<Reconciler>();
        services.AddSingleton(sp => new MemoryRelease(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => TokenRegistry.Load(settings.TokensFile));
        services.AddHostedService<ApplicationsFileSource>();
        services.AddLeaderScopedControllerWork(settings); // the sync loop and drift watcher, while leading
        // JSON transcoding serves the same services as JSON under /api/v1 (web UI, curl); the interceptors apply alike.
        services.AddGrpc(o => o.Interceptors.Add<TokenAuthInterceptor>()).AddJsonTranscoding();
        services.AddPromotion(configuration, HighAvailabilityServices.DrivesPipelines);
        services.AddGrpcHealthChecks();

        services.AddControllerMetrics(); // after the stages: it decorates them
        var app = builder.Build();
        app.MapGrpcService<ApplicationGrpcService>();
        app.MapGrpcService<SessionGrpcService>();
        app.MapGrpcService<ResourceTreeGrpcService>();
        if (configuration.GetValue("Ui:Enabled", true))
        {
            app.MapWebUi();
        }

        app.MapPromotion();
        app.MapGrpcHealthChecksService();
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/readyz", Readiness.Check);
        app.MapControllerMetrics();
        app.MapGitWebhooks("/api/webhook");
        if (installationId is not null)
        {
            app.Logger.LogInformation("Installation ID {InstallationId}: objects another installation stamped are left alone", installationId);
        }

        if (!app.Services.GetRequiredService<TokenRegistry>().Enabled)
        {
            app.Logger.LogWarning("No API tokens configured (--tokens): the gRPC API accepts every caller");
        }

        return app;
    }

    /// <summary>The configured installation ID, checked at start (an empty value, e.g. an unset variable in a
    /// manifest, means none).</summary>
    private static string? InstallationId(ControllerOptions options) =>
        options.InstallationId?.Trim() is not { Length: > 0 } id ? null
        : Installation.Problem(id) is { } problem ? throw new InvalidOperationException($"--installation-id: {problem}")
        : id;

    private static KubernetesClientConfiguration KubeConfig(ControllerOptions options) =>
        options.Kubeconfig is { Length: > 0 } path
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
            : KubernetesClientConfiguration.BuildDefaultConfig();

    /// <summary>TLS for the gRPC port from PEM files (e.g. a mounted kubernetes.io/tls Secret); none = h2c.</summary>
    private static System.Security.Cryptography.X509Certificates.X509Certificate2? LoadCertificate(string? cert, string? key)
    {
        if (cert is null && key is null)
        {
            return null;
        }

        if (cert is null || key is null)
        {
            throw new InvalidOperationException("--tls-cert and --tls-key go together");
        }

        // Re-import so the private key is usable by the TLS stack on every platform.
        using var pem = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(cert, key);
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
            pem.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
    }

    private static IPEndPoint ParseEndpoint(string value) =>
        IPEndPoint.TryParse(value, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException($"invalid listen address '{value}' (expected HOST:PORT, e.g. 127.0.0.1:9090)");

    /// <summary>Lets boolean flags stand alone ("--leader-elect" → "--leader-elect=true"): the configuration
    /// command line otherwise takes the next argument as their value.</summary>
    private static string[] NormalizeFlags(string[] args, params string[] booleanFlags)
    {
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var next = i + 1 < args.Length ? args[i + 1] : null;
            var standalone = booleanFlags.Contains(args[i], StringComparer.Ordinal)
                             && !(next is not null && bool.TryParse(next, out _));
            result.Add(standalone ? args[i] + "=true" : args[i]);
        }

        return [.. result];
    }
}

using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Plugins;

namespace GitOps.Rendering.Kustomize.Generators;

/// <summary>IAMPolicyGenerator (cloud: gke): a ServiceAccount annotated with the Google service account it
/// acts as (Workload Identity).</summary>
internal sealed class IamPolicyGenerator(PluginContext context, JsonObject config) : IGenerator
{
    public Task GenerateAsync(List<Resource> resources, CancellationToken ct)
    {
        var cloud = Scalars.Str(config["cloud"]);
        if (cloud != "gke")
        {
            throw new RenderException($"IAMPolicyGenerator: cloud provider {cloud} not supported yet", context.Display);
        }

        var k8s = config["kubernetesService"] as JsonObject ?? [];
        var gsa = config["serviceAccount"] as JsonObject ?? [];
        var metadata = new JsonObject
        {
            ["annotations"] = new JsonObject
            {
                ["iam.gke.io/gcp-service-account"] = $"{Scalars.Str(gsa["name"])}@{Scalars.Str(gsa["projectId"])}.iam.gserviceaccount.com",
            },
            ["name"] = Scalars.Str(k8s["name"]) ?? "",
        };
        if (Scalars.Str(k8s["namespace"]) is { Length: > 0 } ns)
        {
            metadata["namespace"] = ns;
        }

        var account = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = metadata };
        KustomizeBuilder.Append(resources, [new Resource(account, context.Display)], context.Display);
        return Task.CompletedTask;
    }
}

using GitOps.Testing;

namespace GitOps.Cli.Tests;

[CollectionDefinition(LocalClusterFixture.Collection)]
public sealed class ClusterCollection : ICollectionFixture<LocalClusterFixture>;

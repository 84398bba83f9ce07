using GitOps.Testing;

namespace GitOps.NodeSimulator.Tests;

[CollectionDefinition(LocalClusterFixture.Collection)]
public sealed class ClusterCollection : ICollectionFixture<LocalClusterFixture>;

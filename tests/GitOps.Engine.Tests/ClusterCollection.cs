using GitOps.Testing;

namespace GitOps.Engine.Tests;

[CollectionDefinition(LocalClusterFixture.Collection)]
public sealed class ClusterCollection : ICollectionFixture<LocalClusterFixture>;

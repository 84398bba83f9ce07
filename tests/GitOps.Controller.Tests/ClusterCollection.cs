using GitOps.Testing;

namespace GitOps.Controller.Tests;

[CollectionDefinition(LocalClusterFixture.Collection)]
public sealed class ClusterCollection : ICollectionFixture<LocalClusterFixture>;

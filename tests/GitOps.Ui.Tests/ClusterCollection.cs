using GitOps.Testing;

namespace GitOps.Ui.Tests;

[CollectionDefinition(LocalClusterFixture.Collection)]
public sealed class ClusterCollection : ICollectionFixture<LocalClusterFixture>;

namespace GitOps.Controller.State;

/// <summary>The state stores' one rule for steady-state writes.</summary>
internal static class StatusWrites
{
    /// <summary>A pass that changes nothing but reconciledAt writes it at most this often: with the default 3 min
    /// interval a steady-state pass makes no writes for most apps (the API serves the exact value from memory).</summary>
    public static readonly TimeSpan ReconciledAtRefresh = TimeSpan.FromMinutes(10);
}

namespace GitOps.Controller.HighAvailability;

/// <summary>
/// Whether this replica may do the controller's work (the loop, drift watches, auto-syncs, mutating API calls).
/// Without --leader-elect a replica is always the leader. With it, <see cref="LeaderElectionService"/> moves the
/// state; <see cref="LeaderScopedWork"/> starts and stops the work on each transition.
/// </summary>
internal sealed class Leadership
{
    private readonly Lock gate = new();
    private TaskCompletionSource changed = NewSignal();

    public Leadership(ControllerOptions options)
    {
        ElectionEnabled = options.LeaderElect;
        IsLeader = !options.LeaderElect;
        Settled = !options.LeaderElect;
        Identity = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    public bool ElectionEnabled { get; }

    /// <summary>This replica's holder identity in the Lease: hostname, pid and a per-instance suffix (two
    /// controllers in one process, as in tests, are distinct candidates).</summary>
    public string Identity { get; }

    public bool IsLeader { get; private set; }

    /// <summary>The holder last observed in the Lease (null before the first observation).</summary>
    public string? Holder { get; private set; }

    /// <summary>True once this replica knows whether it leads (at once without election).</summary>
    public bool Settled { get; private set; }

    public void Observe(string? holder)
    {
        lock (gate)
        {
            Holder = holder;
            Settled = true;
        }
    }

    public void Set(bool leader)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            if (IsLeader == leader && Settled)
            {
                return;
            }

            IsLeader = leader;
            Settled = true;
            if (leader)
            {
                Holder = Identity;
            }

            signal = changed;
            changed = NewSignal();
        }

        signal.TrySetResult();
    }

    /// <summary>Completes on the next change of <see cref="IsLeader"/>.</summary>
    public Task WaitForChangeAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return changed.Task.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

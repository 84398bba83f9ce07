namespace GitOps.Testing;

/// <summary>Polls a condition until it holds or a deadline passes (tests never sleep for fixed times).</summary>
public static class Eventually
{
    public static async Task<T> HoldsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout,
        string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(50);
        T last = await probe();
        while (!condition(last))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"within {timeout.TotalSeconds:0.#} s: {because}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
            last = await probe();
        }

        return last;
    }
}

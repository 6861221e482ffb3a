namespace SignalCraft.Tests.TestHost;

/// <summary>Polls for an outcome of background work with a bounded deadline (never a fixed sleep).</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen in time; last value: {value}");
            }
            await Task.Delay(50);
        }
    }
}

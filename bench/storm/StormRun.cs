namespace SignalCraft.Bench.Storm;

public sealed class StormRun(BenchOptions options, BenchPaths paths, SentryBodies bodies)
{
    public Task<string> RunAsync(List<string> failures, List<string> goals) => Task.FromResult($"{options}{paths}{bodies}");
}

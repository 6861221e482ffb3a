using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Jobs;

namespace SignalCraft.Tests.Jobs;

public sealed class JobKindRegistryTests
{
    private sealed record First(int N) : IJobArgs
    {
        public static string Kind => "same_kind";
    }

    private sealed record Second(int N) : IJobArgs
    {
        public static string Kind => "same_kind";
    }

    private sealed class FirstHandler : IJobHandler<First>
    {
        public Task<JobResult> HandleAsync(JobContext<First> context, CancellationToken ct) => Task.FromResult(JobResult.Success);
    }

    private sealed class SecondHandler : IJobHandler<Second>
    {
        public Task<JobResult> HandleAsync(JobContext<Second> context, CancellationToken ct) => Task.FromResult(JobResult.Success);
    }

    [Fact]
    public void Constructor_TwoArgsTypesClaimOneKind_FailsNamingBoth()
    {
        var services = new ServiceCollection().AddJobHandler<First, FirstHandler>().AddJobHandler<Second, SecondHandler>();
        var registrations = services.Where(d => d.ServiceType == typeof(JobKindRegistration))
            .Select(d => (JobKindRegistration)d.ImplementationInstance!);

        var error = Assert.Throws<InvalidOperationException>(() => new JobKindRegistry(registrations));

        Assert.Contains("same_kind", error.Message);
        Assert.Contains(nameof(First), error.Message);
        Assert.Contains(nameof(Second), error.Message);
    }

    [Fact]
    public async Task RunAsync_RegisteredKind_DeserializesTheArgsAndCallsTheHandler()
    {
        await using var provider = new ServiceCollection().AddJobHandler<ProbeJob, RecordingProbeHandler>().BuildServiceProvider();
        var registry = new JobKindRegistry(provider.GetServices<JobKindRegistration>());
        var job = new ClaimedJob(7, "probe", """{"delayMs":25,"failAttempts":1}""", 3, JobPriority.High, DateTime.UtcNow, 2, 5,
            DateTime.UtcNow, "me", "[]", "key", DateTime.UtcNow);

        Assert.True(registry.TryGet("probe", out var registration));
        Assert.False(registry.TryGet("unknown", out _));
        var result = await registration.RunAsync(provider, job, DateTime.UtcNow, CancellationToken.None);

        Assert.Equal(JobResult.Success, result);
        var seen = provider.GetRequiredService<RecordingProbeHandler>().Seen!;
        Assert.Equal((7L, new ProbeJob(25, 1), 2, 5, (long?)3, "key"), (seen.JobId, seen.Args, seen.Attempt, seen.MaxAttempts, seen.WorkspaceId, seen.UniqueKey));
    }

    [Fact]
    public async Task RunAsync_UnreadableArgs_DiscardsInsteadOfRetrying()
    {
        await using var provider = new ServiceCollection().AddJobHandler<ProbeJob, RecordingProbeHandler>().BuildServiceProvider();
        var registry = new JobKindRegistry(provider.GetServices<JobKindRegistration>());
        var job = new ClaimedJob(7, "probe", "not json", null, JobPriority.Normal, DateTime.UtcNow, 1, 5, DateTime.UtcNow, "me", "[]", null, DateTime.UtcNow);
        registry.TryGet("probe", out var registration);

        var result = await registration.RunAsync(provider, job, DateTime.UtcNow, CancellationToken.None);

        Assert.IsType<JobResult.DiscardResult>(result);
        Assert.Null(provider.GetRequiredService<RecordingProbeHandler>().Seen);
    }

    private sealed class RecordingProbeHandler : IJobHandler<ProbeJob>
    {
        public JobContext<ProbeJob>? Seen { get; private set; }

        public Task<JobResult> HandleAsync(JobContext<ProbeJob> context, CancellationToken ct)
        {
            Seen = context;
            return Task.FromResult(JobResult.Success);
        }
    }
}

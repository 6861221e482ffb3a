using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SignalCraft.Jobs;

/// <summary>
/// Runs one kind of job. Delivery is at least once (a retry, a rescued job after a crash, a shutdown), so a handler
/// must be idempotent: re-read the state it acts on and do nothing when the work is already done. Resolved from a
/// fresh DI scope per attempt.
/// </summary>
public interface IJobHandler<TArgs> where TArgs : IJobArgs
{
    /// <summary>Runs one attempt. A thrown exception counts as a failed attempt and is retried with backoff.</summary>
    /// <param name="context">The job's args and attempt.</param>
    /// <param name="ct">Cancelled at <c>Jobs:JobTimeout</c>, or when shutdown's grace period ends.</param>
    Task<JobResult> HandleAsync(JobContext<TArgs> context, CancellationToken ct);
}

/// <summary>What a handler sees of its job.</summary>
public sealed record JobContext<TArgs>(
    long JobId,
    TArgs Args,
    int Attempt,
    int MaxAttempts,
    long? WorkspaceId,
    string? UniqueKey,
    string AttemptedBy,
    IReadOnlyList<JobError> PreviousErrors,
    DateTime Now) where TArgs : IJobArgs;

/// <summary>How an attempt ended, as told by the handler.</summary>
public abstract record JobResult
{
    private JobResult() { }

    public static JobResult Success { get; } = new SuccessResult();

    /// <summary>Failed; run again at <paramref name="at"/> (e.g. from a Retry-After header) instead of the backoff.
    /// Counts as an attempt: after <c>max_attempts</c> the job is discarded.</summary>
    public static JobResult RetryAt(DateTime at, string reason) => new RetryResult(at, reason);

    /// <summary>Failed; run again after <paramref name="delay"/> from the attempt's start.</summary>
    public static JobResult RetryAfter(TimeSpan delay, string reason) => new RetryDelayResult(delay, reason);

    /// <summary>Failed for good (bad config, a permanent API error): no more attempts; the reason is kept.</summary>
    public static JobResult Discard(string reason) => new DiscardResult(reason);

    /// <summary>The work is no longer wanted (the group was acknowledged): finalized as cancelled.</summary>
    public static JobResult Cancel(string reason) => new CancelResult(reason);

    /// <summary>
    /// Not failed, just not yet (waiting for a send budget): due again at <paramref name="at"/> without using up an
    /// attempt or adding an error, like River's JobSnooze.
    /// </summary>
    public static JobResult Snooze(DateTime at) => new SnoozeResult(at);

    internal sealed record SuccessResult : JobResult;
    internal sealed record RetryResult(DateTime At, string Reason) : JobResult;
    internal sealed record RetryDelayResult(TimeSpan Delay, string Reason) : JobResult;
    internal sealed record DiscardResult(string Reason) : JobResult;
    internal sealed record CancelResult(string Reason) : JobResult;
    internal sealed record SnoozeResult(DateTime At) : JobResult;
}

public static class JobHandlerRegistration
{
    /// <summary>
    /// Registers the handler of one job kind (<typeparamref name="TArgs"/>.Kind). Call from a feature's
    /// <c>AddX()</c>; two registrations of one kind fail at start-up.
    /// </summary>
    public static IServiceCollection AddJobHandler<TArgs, THandler>(this IServiceCollection services)
        where TArgs : IJobArgs
        where THandler : class, IJobHandler<TArgs>
    {
        services.TryAddScoped<THandler>();
        services.AddSingleton(new JobKindRegistration(TArgs.Kind, typeof(TArgs), RunAsync<TArgs, THandler>));
        return services;
    }

    private static async Task<JobResult> RunAsync<TArgs, THandler>(
        IServiceProvider services, ClaimedJob job, DateTime now, CancellationToken ct)
        where TArgs : IJobArgs
        where THandler : class, IJobHandler<TArgs>
    {
        TArgs args;
        try
        {
            args = JsonSerializer.Deserialize<TArgs>(job.Args, JobJson.Options)
                ?? throw new JsonException("The args are null.");
        }
        catch (JsonException ex)
        {
            // Unreadable args never become readable: retrying would only repeat the failure.
            return JobResult.Discard($"The args of kind '{job.Kind}' cannot be read: {ex.Message}");
        }
        var handler = services.GetRequiredService<THandler>();
        var context = new JobContext<TArgs>(job.Id, args, job.Attempt, job.MaxAttempts, job.WorkspaceId, job.UniqueKey,
            job.AttemptedBy, JobErrors.Parse(job.Errors), now);
        return await handler.HandleAsync(context, ct);
    }
}

/// <summary>One registered kind: how to run a claimed row of that kind in a scope.</summary>
internal sealed record JobKindRegistration(
    string Kind, Type ArgsType, Func<IServiceProvider, ClaimedJob, DateTime, CancellationToken, Task<JobResult>> RunAsync);

/// <summary>Kind → handler, built once from every <see cref="JobHandlerRegistration.AddJobHandler{TArgs,THandler}"/>.</summary>
internal sealed class JobKindRegistry
{
    private readonly Dictionary<string, JobKindRegistration> _byKind = new(StringComparer.Ordinal);

    public JobKindRegistry(IEnumerable<JobKindRegistration> registrations)
    {
        foreach (var registration in registrations)
        {
            if (_byKind.TryGetValue(registration.Kind, out var existing) && existing.ArgsType != registration.ArgsType)
            {
                throw new InvalidOperationException(
                    $"Job kind '{registration.Kind}' is claimed by both {existing.ArgsType.Name} and {registration.ArgsType.Name}; kinds must be unique.");
            }
            _byKind[registration.Kind] = registration;
        }
    }

    public bool TryGet(string kind, out JobKindRegistration registration) => _byKind.TryGetValue(kind, out registration!);
}

/// <summary>The one serializer setting for job args, so that enqueue and handler agree.</summary>
internal static class JobJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

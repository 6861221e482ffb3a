using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace SignalCraft.Jobs;

/// <summary>This process as a claimer: host name, process id and a random suffix (a restarted pid is a new worker).</summary>
internal sealed class WorkerIdentity
{
    public string Id { get; } =
        $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}

/// <summary>
/// Claims due jobs and runs up to <c>Jobs:Workers</c> at once. It claims when woken (a local commit, a PostgreSQL
/// notification), when a slot frees up while the last claim came back full, and otherwise every
/// <c>Jobs:PollInterval</c>. Registered after the database migrator, whose start completes first, so it never
/// claims from an unmigrated schema. On shutdown it stops claiming, lets running jobs finish for
/// <c>Jobs:ShutdownGrace</c>, then cancels them and gives them back untried.
/// </summary>
internal sealed class JobWorker(
    IServiceScopeFactory scopes, JobSignal signal, JobKindRegistry kinds, WorkerIdentity identity, TimeProvider time,
    IOptions<JobsOptions> options, ILogger<JobWorker> logger) : BackgroundService
{
    private readonly AsyncSignal _slotFreed = new();
    private readonly ConcurrentDictionary<(long Id, int Attempt), Task?> _running = new();
    private readonly CancellationTokenSource _hardStop = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // When the host's own shutdown timeout runs out, running handlers are cancelled at once.
        await using var registration = cancellationToken.Register(() => _hardStop.Cancel());
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _hardStop.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Workers == 0)
        {
            return;
        }
        await Task.Yield();
        logger.LogInformation("Job worker {Worker} started with {Workers} slots.", identity.Id, settings.Workers);

        var mayHaveMore = true; // claim at once on start: jobs may have been waiting for this instance
        var backlog = false;
        // While draining a backlog, claim in batches of at least half the slots: every claim ranks the due
        // jobs, so one claim per finished job would cost the database far more than the jobs themselves.
        var batch = Math.Max(1, settings.Workers / 2);
        var nextPoll = time.GetUtcNow() + settings.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (signal.Committed.Consume())
            {
                mayHaveMore = true;
            }
            var now = time.GetUtcNow();
            if (now >= nextPoll)
            {
                mayHaveMore = true;
            }
            var free = settings.Workers - _running.Count;
            if (free > 0 && mayHaveMore && (!backlog || free >= batch))
            {
                nextPoll = now + settings.PollInterval;
                try
                {
                    var claimed = await ClaimAsync(free, now.UtcDateTime, stoppingToken);
                    foreach (var job in claimed)
                    {
                        Start(job);
                    }
                    // A short batch means nothing else is due: sleep until woken or polled.
                    backlog = mayHaveMore = claimed.Count == free;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Claiming jobs failed; trying again in {PollInterval}.", settings.PollInterval);
                    mayHaveMore = backlog = false;
                }
                continue;
            }
            if (free == 0 || (backlog && free < batch))
            {
                // Nothing can be claimed until a job finishes, whatever else happens.
                await _slotFreed.WaitAsync().WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            else
            {
                await WaitUntilAsync(nextPoll, stoppingToken);
            }
            _slotFreed.Consume();
        }
        await DrainAsync(settings);
    }

    private async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(int limit, DateTime now, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobStore>().ClaimAsync(limit, identity.Id, now, ct);
    }

    /// <summary>Sleeps until the next poll, a commit or a freed slot.</summary>
    /// <remarks>
    /// A timer counts its delay from the clock's time when it is created. If the clock jumps between reading it
    /// and creating the timer (a test's fake clock moved by another thread), the timer would wait a full interval
    /// past the jump and, with nothing else moving the clock, never fire; so a jump seen after creating the timer
    /// returns at once and the loop looks again.
    /// </remarks>
    private async Task WaitUntilAsync(DateTimeOffset until, CancellationToken stoppingToken)
    {
        var before = time.GetUtcNow();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = until - before;
        var timer = Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, time, cts.Token);
        if (time.GetUtcNow() - before < ClockJump)
        {
            await Task.WhenAny(signal.Committed.WaitAsync(), _slotFreed.WaitAsync(), timer);
        }
        await cts.CancelAsync();
    }

    private static readonly TimeSpan ClockJump = TimeSpan.FromMilliseconds(250);

    private void Start(ClaimedJob job)
    {
        // The placeholder counts the slot before the task exists; a job that finishes at once removes it first.
        var key = (job.Id, job.Attempt);
        _running[key] = null;
        var task = RunAsync(job);
        _running.TryUpdate(key, task, null);
    }

    private async Task RunAsync(ClaimedJob job)
    {
        await Task.Yield();
        var settings = options.Value;
        // The job runs (and enqueues follow-ups) under the correlation id of whatever enqueued it.
        using var correlation = Hosting.Correlation.Begin(logger, Hosting.Correlation.FromArgs(job.Args) ?? Hosting.Correlation.NewId());
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var startedAt = time.GetUtcNow().UtcDateTime;
            JobResult? result = null;
            string? failure = null;
            using var timeout = new CancellationTokenSource(settings.JobTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _hardStop.Token);
            try
            {
                if (kinds.TryGet(job.Kind, out var registration))
                {
                    result = await registration.RunAsync(scope.ServiceProvider, job, startedAt, linked.Token);
                }
                else
                {
                    // A newer deployment may know the kind; retrying keeps the job until one does.
                    failure = $"No handler is registered for job kind '{job.Kind}' in this version of SignalCraft.";
                }
            }
            catch (OperationCanceledException) when (_hardStop.IsCancellationRequested)
            {
                await ReleaseAsync(job);
                return;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                failure = $"The attempt was cancelled after Jobs:JobTimeout ({settings.JobTimeout}).";
            }
            catch (Exception ex)
            {
                failure = $"{ex.GetType().Name}: {ex.Message}";
                logger.LogWarning(ex, "Job {JobId} ({Kind}) attempt {Attempt} failed.", job.Id, job.Kind, job.Attempt);
            }
            await RecordAsync(job, startedAt, result, failure);
            logger.LogDebug("Job {JobId} ({Kind}) attempt {Attempt} finished: {Outcome}.", job.Id, job.Kind, job.Attempt,
                failure ?? result?.ToString() ?? "no result");
        }
        catch (Exception ex)
        {
            // The row stays running and is rescued after Jobs:RescueAfter: delivery stays at least once.
            logger.LogError(ex, "Could not record the outcome of job {JobId} ({Kind}); it will be rescued.", job.Id, job.Kind);
        }
        finally
        {
            _running.TryRemove((job.Id, job.Attempt), out _);
            _slotFreed.Set();
        }
    }

    private async Task RecordAsync(ClaimedJob job, DateTime startedAt, JobResult? result, string? failure)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<JobStore>();
        var now = time.GetUtcNow().UtcDateTime;
        // The outcome is written even while shutting down: it is the point of the attempt.
        var ct = CancellationToken.None;
        var recorded = result switch
        {
            null => await store.FailAsync(job, now, failure!, null, ct) is not null,
            JobResult.SuccessResult => await store.CompleteAsync(job, now, ct),
            JobResult.RetryResult r => await store.FailAsync(job, now, r.Reason, r.At, ct) is not null,
            JobResult.RetryDelayResult r => await store.FailAsync(job, now, r.Reason, startedAt + r.Delay, ct) is not null,
            JobResult.DiscardResult r => await store.DiscardAsync(job, now, r.Reason, ct),
            JobResult.CancelResult r => await store.CancelAsync(job, now, r.Reason, ct),
            JobResult.SnoozeResult r => await store.SnoozeAsync(job, r.At, ct),
            _ => throw new InvalidOperationException($"Unknown job result {result.GetType().Name}."),
        };
        if (!recorded)
        {
            logger.LogWarning("Job {JobId} attempt {Attempt} finished after it was rescued; its outcome was not recorded.", job.Id, job.Attempt);
        }
    }

    private async Task ReleaseAsync(ClaimedJob job)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<JobStore>().ReleaseAsync(job, CancellationToken.None);
        logger.LogInformation("Job {JobId} ({Kind}) was given back on shutdown.", job.Id, job.Kind);
    }

    private async Task DrainAsync(JobsOptions settings)
    {
        var running = _running.Values.OfType<Task>().ToArray();
        if (running.Length == 0)
        {
            return;
        }
        logger.LogInformation("Waiting up to {Grace} for {Count} running job(s) to finish.", settings.ShutdownGrace, running.Length);
        var all = Task.WhenAll(running);
        await Task.WhenAny(all, Task.Delay(settings.ShutdownGrace, time, _hardStop.Token));
        if (!all.IsCompleted)
        {
            await _hardStop.CancelAsync();
            await all; // every handler is now cancelled; each gives its job back before it ends
        }
    }
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SignalCraft.Jobs;

/// <summary>The job queue and its worker, bound from <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Jobs run at once by this process. 0 makes an enqueue-only instance (no worker, no maintenance).</summary>
    [Range(0, 256)]
    public int Workers { get; set; } = 4;

    /// <summary>
    /// The fallback when no wake-up arrives (a job whose run time came, a lost notification). Local commits and
    /// PostgreSQL notifications wake the worker at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one attempt may run before its handler is cancelled (the lease length).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A job still running this long after its claim is presumed orphaned (its process died) and is rescued.
    /// At least <see cref="JobTimeout"/>, or a live attempt would be run twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "7.00:00:00")]
    public TimeSpan RescueAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the elected instance looks for orphaned jobs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Jobs rescued per transaction.</summary>
    [Range(1, 10_000)]
    public int RescueBatchSize { get; set; } = 100;

    /// <summary>On shutdown, how long running jobs may take to finish before they are cancelled and released.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts before a job is discarded, unless the enqueue says otherwise.</summary>
    [Range(1, 1000)]
    public int DefaultMaxAttempts { get; set; } = 20;

    /// <summary>The longest retry backoff.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);
}

[OptionsValidator]
internal sealed partial class JobsOptionsAnnotationsValidator : IValidateOptions<JobsOptions>;

/// <summary>Ranges from the annotations, plus the rules that relate two settings.</summary>
internal sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    private readonly JobsOptionsAnnotationsValidator _annotations = new();

    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var failures = new List<string>();
        var ranges = _annotations.Validate(name, options);
        if (ranges.Failed)
        {
            failures.AddRange(ranges.Failures.Select(f => "Jobs: " + f));
        }
        if (options.RescueAfter < options.JobTimeout)
        {
            failures.Add($"Jobs:RescueAfter ({options.RescueAfter}) must be at least Jobs:JobTimeout ({options.JobTimeout}): "
                + "otherwise a job that is still running within its timeout would be rescued and run a second time.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace SignalCraft.Sources;

/// <summary>
/// Limits failed verifications (bad key, bad signature) per client address. Only failures draw from the budget, so a
/// valid signed webhook is never refused — during a storm those are the ones that matter.
/// </summary>
public sealed class VerificationFailureLimiter(IOptions<SourcesOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(
        address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.FailuresPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Records one failure; false when the address is over its budget (answer 429).</summary>
    public bool TryRecordFailure(IPAddress? address)
    {
        using var lease = _limiter.AttemptAcquire(address ?? IPAddress.None);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}

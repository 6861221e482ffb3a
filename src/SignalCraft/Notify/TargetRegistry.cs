using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Data;
using SignalCraft.Notify.Webhook;
using SignalCraft.Routing;
using SignalCraft.Secrets;

namespace SignalCraft.Notify;

/// <summary>The outcome of resolving a target named inline in a rule or setting.</summary>
public abstract record TargetResolution
{
    private TargetResolution()
    {
    }

    public sealed record Resolved(NotificationTarget Target) : TargetResolution;

    /// <summary>The target cannot be used; <see cref="Status"/> is the HTTP status to answer (400 or 422).</summary>
    public sealed record Refused(string Field, string Message, int Status) : TargetResolution;
}

/// <summary>
/// Keeps one <see cref="NotificationTarget"/> per distinct target of a workspace, validated when it is saved
/// (Alertmanager's receiver check, moved to write time). Webhook URLs are stored encrypted and shown masked.
/// </summary>
public sealed class TargetRegistry(SignalCraftDbContext db, SecretProtector secrets, IOptions<NotifyOptions> options,
    TimeProvider time, IEnumerable<ISlackTargetValidator> slackValidators)
{
    internal const string UrlPurpose = "webhook-target-url";
    internal const string SecretPurpose = "webhook-target-secret";

    public async Task<TargetResolution> ResolveAsync(long workspaceId, TargetSpec spec, string field, CancellationToken ct)
    {
        switch (spec.Kind)
        {
            case "webhook":
                if (string.IsNullOrWhiteSpace(spec.Url))
                {
                    return new TargetResolution.Refused(field, "A webhook target needs a url.", 400);
                }
                if (await PrivateAddressGuard.ValidateAsync(spec.Url, options.Value.AllowPrivateTargets, ct) is { } problem)
                {
                    return new TargetResolution.Refused(field, problem, 422);
                }
                var identity = "webhook:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spec.Url)));
                return new TargetResolution.Resolved(await FindOrAddAsync(workspaceId, identity, () => new NotificationTarget
                {
                    WorkspaceId = workspaceId,
                    Kind = "webhook",
                    Identity = identity,
                    UrlProtected = secrets.Protect(UrlPurpose, spec.Url),
                    UrlMasked = PrivateAddressGuard.Mask(spec.Url),
                    SecretProtected = secrets.Protect(SecretPurpose, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))),
                    CreatedAt = time.GetUtcNow().UtcDateTime,
                }, ct));

            case "slack":
                if (string.IsNullOrWhiteSpace(spec.Channel))
                {
                    return new TargetResolution.Refused(field, "A Slack target needs a channel.", 400);
                }
                var validator = slackValidators.FirstOrDefault();
                if (validator is null)
                {
                    return new TargetResolution.Refused(field, "Connect Slack first (Integrations → Slack), then pick a channel.", 422);
                }
                var checkedTarget = await validator.ValidateAsync(workspaceId, spec.ConnectionId, spec.Channel, ct);
                if (checkedTarget.Error is { } error)
                {
                    return new TargetResolution.Refused(field, error, 422);
                }
                var slackIdentity = $"slack:{checkedTarget.ConnectionId}:{checkedTarget.ChannelId}";
                return new TargetResolution.Resolved(await FindOrAddAsync(workspaceId, slackIdentity, () => new NotificationTarget
                {
                    WorkspaceId = workspaceId,
                    Kind = "slack",
                    Identity = slackIdentity,
                    ConnectionId = checkedTarget.ConnectionId,
                    Channel = checkedTarget.ChannelId,
                    CreatedAt = time.GetUtcNow().UtcDateTime,
                }, ct));

            default:
                return new TargetResolution.Refused(field, "A target's kind is slack or webhook.", 400);
        }
    }

    /// <summary>The API view of a stored target: masked URL, health, never the secret.</summary>
    public static TargetSpec Describe(NotificationTarget target) => new()
    {
        Kind = target.Kind,
        Channel = target.Channel,
        ConnectionId = target.ConnectionId,
        Url = target.UrlMasked,
        TargetId = target.Id,
        Status = target.Status,
        LastError = target.LastError,
    };

    private async Task<NotificationTarget> FindOrAddAsync(long workspaceId, string identity, Func<NotificationTarget> create, CancellationToken ct)
    {
        var existing = db.Set<NotificationTarget>().Local.FirstOrDefault(t => t.WorkspaceId == workspaceId && t.Identity == identity)
            ?? await db.Set<NotificationTarget>().IgnoreQueryFilters()
                .FirstOrDefaultAsync(t => t.WorkspaceId == workspaceId && t.Identity == identity, ct);
        if (existing is not null)
        {
            return existing;
        }
        var target = create();
        db.Add(target);
        await db.SaveChangesAsync(ct);
        return target;
    }
}

/// <summary>The result of checking a Slack channel against a connection.</summary>
public sealed record SlackTargetCheck(long ConnectionId, string ChannelId, string? Error);

/// <summary>Slack delivery registers one: checks the connection (null = the only one) and the channel.</summary>
public interface ISlackTargetValidator
{
    Task<SlackTargetCheck> ValidateAsync(long workspaceId, long? connectionId, string channel, CancellationToken ct);
}

using System.ComponentModel.DataAnnotations;
using SignalCraft.Accounts;
using SignalCraft.Notify;
using SignalCraft.Routing;

namespace SignalCraft.Health.Canary;

/// <summary>
/// The settings page's way to turn the canary on, change it or turn it off: the same rules and effects as
/// <c>PUT /api/workspace/settings {"canary": …}</c>. A blank channel means the fallback.
/// </summary>
public sealed class CanarySettings(WorkspaceSettingsStore store, TargetRegistry targets, CanaryScheduler scheduler)
{
    /// <summary>Null when saved, else what is wrong, in words.</summary>
    public async Task<string?> SaveAsync(long workspaceId, bool enabled, int intervalMinutes, string? channel, CancellationToken ct)
    {
        var useFallback = string.IsNullOrWhiteSpace(channel);
        var request = enabled
            ? new UpdateWorkspaceSettingsRequest(null, null, null, null, null, null,
                Canary: new CanaryInput(intervalMinutes, useFallback ? null : new TargetSpec { Kind = "slack", Channel = channel!.Trim() }, useFallback ? true : null))
            : new UpdateWorkspaceSettingsRequest(null, null, null, null, null, null, ClearCanary: true);
        var problems = request.Validate(new ValidationContext(request)).Select(r => r.ErrorMessage).ToList();
        if (problems.Count > 0)
        {
            return string.Join(" ", problems);
        }
        long? targetId = null;
        if (request.Canary?.Target is { } spec)
        {
            switch (await targets.ResolveAsync(workspaceId, spec, "canary.target", ct))
            {
                case TargetResolution.Refused refused:
                    return refused.Message;
                case TargetResolution.Resolved resolved:
                    targetId = resolved.Target.Id;
                    break;
            }
        }
        var before = await store.GetAsync(workspaceId, ct);
        if (CanaryInput.LacksTarget(before, request))
        {
            return "The canary needs a target: name a Slack channel, or set a fallback target first.";
        }
        var settings = await store.UpdateAsync(workspaceId, request, null, ct, canaryTargetId: targetId);
        await scheduler.ScheduleAsync(settings, before.CanaryIntervalMinutes != settings.CanaryIntervalMinutes, ct);
        return null;
    }
}

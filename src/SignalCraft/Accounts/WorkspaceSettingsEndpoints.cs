using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Notify;
using SignalCraft.Routing;

namespace SignalCraft.Accounts;

/// <summary><c>/api/workspace/settings</c>: every member reads, admins write (any subset of fields).</summary>
internal static class WorkspaceSettingsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workspace/settings").WithTags("Workspace settings").RequireWorkspace();
        group.MapGet("", GetAsync);
        group.MapPut("", UpdateAsync).RequireAuthorization(AccountsPolicies.Admin);
    }

    private static async Task<Ok<WorkspaceSettingsResponse>> GetAsync(
        CurrentWorkspace current, WorkspaceSettingsStore store, SignalCraftDbContext db, CancellationToken ct)
    {
        var settings = await store.GetAsync(current.WorkspaceId, ct);
        return TypedResults.Ok(await RespondAsync(db, settings, ct));
    }

    private static async Task<Results<Ok<WorkspaceSettingsResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        UpdateWorkspaceSettingsRequest request, CurrentWorkspace current, WorkspaceSettingsStore store, TargetRegistry targets,
        Health.Canary.CanaryScheduler canaries, SignalCraftDbContext db, CancellationToken ct)
    {
        DefaultRoute? route = null;
        if (request.DefaultRoute is { } input)
        {
            var ids = new List<long>();
            var specs = input.Targets ?? [];
            for (var i = 0; i < specs.Count; i++)
            {
                switch (await targets.ResolveAsync(current.WorkspaceId, specs[i], $"defaultRoute.targets[{i}]", ct))
                {
                    case TargetResolution.Refused { Status: 422 } refused:
                        return TypedResults.Problem(statusCode: 422, title: "Target refused", detail: refused.Message);
                    case TargetResolution.Refused refused:
                        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [refused.Field] = [refused.Message] });
                    case TargetResolution.Resolved resolved:
                        ids.Add(resolved.Target.Id);
                        break;
                }
            }
            route = new DefaultRoute(ids, input.Mention ?? "auto");
        }
        long? fallbackId = null;
        if (request.Fallback is { } fallbackSpec)
        {
            switch (await targets.ResolveAsync(current.WorkspaceId, fallbackSpec, "fallback", ct))
            {
                case TargetResolution.Refused { Status: 422 } refused:
                    return TypedResults.Problem(statusCode: 422, title: "Fallback target refused", detail: refused.Message);
                case TargetResolution.Refused refused:
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [refused.Field] = [refused.Message] });
                case TargetResolution.Resolved resolved:
                    fallbackId = resolved.Target.Id;
                    break;
            }
        }
        long? canaryTargetId = null;
        if (request.Canary?.Target is { } canarySpec)
        {
            switch (await targets.ResolveAsync(current.WorkspaceId, canarySpec, "canary.target", ct))
            {
                case TargetResolution.Refused { Status: 422 } refused:
                    return TypedResults.Problem(statusCode: 422, title: "Canary target refused", detail: refused.Message);
                case TargetResolution.Refused refused:
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [refused.Field] = [refused.Message] });
                case TargetResolution.Resolved resolved:
                    canaryTargetId = resolved.Target.Id;
                    break;
            }
        }
        var before = await store.GetAsync(current.WorkspaceId, ct);
        if (CanaryInput.LacksTarget(before, request))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["canary"] = [CanaryInput.NeedsTarget] });
        }
        var settings = await store.UpdateAsync(current.WorkspaceId, request, route, ct, fallbackId, canaryTargetId);
        if (request.Canary is not null || request.ClearCanary == true)
        {
            await canaries.ScheduleAsync(settings, before.CanaryIntervalMinutes != settings.CanaryIntervalMinutes, ct);
        }
        return TypedResults.Ok(await RespondAsync(db, settings, ct));
    }

    private static async Task<WorkspaceSettingsResponse> RespondAsync(SignalCraftDbContext db, WorkspaceSettings settings, CancellationToken ct)
    {
        var fallback = await Notify.Fallback.FallbackView.ForAsync(db, settings.WorkspaceId, settings.FallbackTargetId, ct);
        CanaryView? canary = null;
        if (settings.CanaryIntervalMinutes is { } interval)
        {
            var target = settings.CanaryTargetId is { } id
                ? await db.Set<NotificationTarget>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct)
                : null;
            canary = new CanaryView(interval, settings.CanaryTargetId is null, target is null ? null : TargetRegistry.Describe(target));
        }
        return WorkspaceSettingsResponse.From(settings, await DescribeAsync(db, settings.DefaultRoute, ct), fallback.Target, fallback.Warning, canary);
    }

    private static async Task<IReadOnlyList<TargetSpec>> DescribeAsync(SignalCraftDbContext db, DefaultRoute route, CancellationToken ct)
    {
        var ids = route.TargetIds.ToList();
        var rows = await db.Set<NotificationTarget>().AsNoTracking().Where(t => ids.Contains(t.Id)).ToListAsync(ct);
        return rows.Select(TargetRegistry.Describe).ToList();
    }
}

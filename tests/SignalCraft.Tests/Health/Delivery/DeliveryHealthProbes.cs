using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Health.Delivery;

/// <summary>The notification log and Retry, probed from another workspace.</summary>
public sealed class DeliveryHealthProbes : ICrossWorkspaceProbeSource
{
    public IEnumerable<CrossWorkspaceProbe> Probes =>
    [
        new("GET", "/api/notifications")
        {
            ArrangeAsync = async ctx =>
            {
                var groupId = await SentryIntegrationApi.SendAsync(ctx.B, await SentryIntegrationApi.CreateAsync(ctx.B));
                return new ProbeRequest($"/api/notifications?groupId={groupId}");
            },
            SnapshotAsync = (ctx, _) => ctx.B.Client.GetStringAsync("/api/notifications"),
        },
        new("POST", "/api/notifications/discarded/{jobId}/retry")
        {
            ArrangeAsync = async ctx =>
            {
                var jobId = await DiscardedSendAsync(ctx.App, ctx.B.WorkspaceId);
                return new ProbeRequest($"/api/notifications/discarded/{jobId}/retry") { State = jobId };
            },
            SnapshotAsync = (ctx, request) => ctx.App.WithScopeAsync(async sp =>
            {
                var job = await sp.GetRequiredService<SignalCraftDbContext>().Set<Job>().AsNoTracking().SingleAsync(j => j.Id == (long)request.State!);
                return $"{job.State} {job.ScheduledAt:O} {job.MaxAttempts}";
            }),
        },
    ];

    /// <summary>A send job of <paramref name="workspaceId"/> that gave up (as the send handler leaves one), written to the queue.</summary>
    private static Task<long> DiscardedSendAsync(SignalCraftApp app, long workspaceId) => app.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<SignalCraftDbContext>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var args = new SendNotification(987_654, 987_654, 1, null, NotificationReasons.Opened, null);
        var job = new Job
        {
            Kind = SendNotification.Kind, Args = JsonSerializer.Serialize(args, JobJson.Options), WorkspaceId = workspaceId,
            State = JobState.Discarded, Priority = JobPriority.High, ScheduledAt = now, Attempt = 1, MaxAttempts = 20,
            Errors = "[]", UniqueKey = args.UniqueKey, CreatedAt = now, FinalizedAt = now,
        };
        db.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    });
}

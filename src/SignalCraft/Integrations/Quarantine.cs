using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Integrations;

/// <summary>
/// Keeps authentic but unreadable bodies, capped per integration (oldest dropped first, and counted), because the
/// sender will not retry them.
/// </summary>
public sealed class Quarantine
{
    public const int MaxBodies = 100;
    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The integration's kept bodies, newest first (null when the integration is not in the request's workspace). The API
    /// and the admins' Delivery Health page both read them here.
    /// </summary>
    public static async Task<QuarantineListing?> ListAsync(SignalCraftDbContext db, long integrationId, CancellationToken ct)
    {
        var name = await db.Set<Integration>().AsNoTracking().Where(i => i.Id == integrationId).Select(i => i.Name).FirstOrDefaultAsync(ct);
        if (name is null)
        {
            return null;
        }
        var bodies = await db.Set<QuarantinedBody>().AsNoTracking().Where(q => q.IntegrationId == integrationId)
            .OrderByDescending(q => q.ReceivedAt).ThenByDescending(q => q.Id).Take(MaxBodies).ToListAsync(ct);
        return new QuarantineListing(integrationId, name, bodies.Select(q => new QuarantinedBodyDto(q.Id, q.ReceivedAt, q.Reason, q.Resource,
            q.Size, System.Text.Encoding.UTF8.GetString(q.Body))).ToList());
    }

    public static async Task<long> AddAsync(SignalCraftDbContext db, Integration integration, string? resource,
        byte[] body, string reason, DateTime now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = new QuarantinedBody
        {
            WorkspaceId = integration.WorkspaceId,
            IntegrationId = integration.Id,
            ReceivedAt = now,
            Reason = reason.Length > 500 ? reason[..500] : reason,
            Resource = resource,
            Body = body,
            Size = body.Length,
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);

        var kept = await db.Set<QuarantinedBody>().IgnoreQueryFilters()
            .Where(q => q.IntegrationId == integration.Id)
            .OrderByDescending(q => q.ReceivedAt).ThenByDescending(q => q.Id)
            .Select(q => new { q.Id, q.Size })
            .ToListAsync(ct);
        long bytes = 0;
        var drop = new List<long>();
        for (var i = 0; i < kept.Count; i++)
        {
            bytes += kept[i].Size;
            if (i >= MaxBodies || (bytes > MaxBytes && i > 0))
            {
                drop.Add(kept[i].Id);
            }
        }
        if (drop.Count > 0)
        {
            await db.Set<QuarantinedBody>().IgnoreQueryFilters().Where(q => drop.Contains(q.Id)).ExecuteDeleteAsync(ct);
            await db.Set<Integration>().IgnoreQueryFilters().Where(i => i.Id == integration.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.QuarantineDropped, i => i.QuarantineDropped + drop.Count), ct);
        }
        await tx.CommitAsync(ct);
        return row.Id;
    }
}

/// <summary>One integration's quarantined bodies.</summary>
public sealed record QuarantineListing(long IntegrationId, string IntegrationName, IReadOnlyList<QuarantinedBodyDto> Bodies);

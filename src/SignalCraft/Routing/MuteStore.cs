using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Routing;

/// <summary><c>POST /api/mutes</c>: conditions in the rule schema, an end, a comment.</summary>
public sealed record MuteRequest(RuleConditions? Conditions, DateTime? EndsAt, string? Comment);

public sealed record MuteDto(long Id, RuleConditions Conditions, DateTime StartsAt, DateTime EndsAt, string? Comment, string? CreatedBy, bool Active);

/// <summary>Time-bounded mutes: notifications for matching groups wait until the mute ends.</summary>
public sealed class MuteStore(SignalCraftDbContext db, TimeProvider time)
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(7);

    public async Task<List<MuteDto>> ListAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await db.Set<Mute>().AsNoTracking().Where(m => m.EndsAt > now.AddDays(-1)).OrderByDescending(m => m.EndsAt).ToListAsync(ct);
        return rows.Select(m => ToDto(m, now)).ToList();
    }

    public async Task<(MuteDto? Mute, Dictionary<string, string[]>? Errors)> CreateAsync(long workspaceId, MuteRequest request, string createdBy, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var errors = new Dictionary<string, string[]>();
        if (request.EndsAt is not { } endsAt || endsAt.ToUniversalTime() <= now || endsAt.ToUniversalTime() > now + MaxLength)
        {
            errors["endsAt"] = ["A mute ends in the future, within 7 days."];
        }
        var conditions = request.Conditions ?? new();
        foreach (var (field, messages) in RuleEvaluator.Validate(new RuleDto { Name = "mute", Conditions = conditions }))
        {
            errors[field] = messages;
        }
        if (request.Comment is { Length: > 1000 })
        {
            errors["comment"] = ["Up to 1000 characters."];
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var row = new Mute
        {
            WorkspaceId = workspaceId, ConditionsJson = JsonSerializer.Serialize(conditions, RuleStore.Json), StartsAt = now,
            EndsAt = request.EndsAt!.Value.ToUniversalTime(), Comment = request.Comment, CreatedBy = createdBy, CreatedAt = now,
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return (ToDto(row, now), null);
    }

    /// <summary>Ends a mute now (held notifications go out on their next attempt).</summary>
    public async Task<bool> EndAsync(long id, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.Set<Mute>().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (row is null)
        {
            return false;
        }
        if (row.EndsAt > now)
        {
            row.EndsAt = now;
            await db.SaveChangesAsync(ct);
            // Notifications held by this mute wait for its old end; bring them forward (the handler re-checks mutes).
            await db.Set<Jobs.Job>().Where(j => j.Kind == Notify.SendNotification.Kind && j.WorkspaceId == row.WorkspaceId
                    && j.State == Jobs.JobState.Retryable && j.ScheduledAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.ScheduledAt, now), ct);
        }
        return true;
    }

    private static MuteDto ToDto(Mute m, DateTime now) =>
        new(m.Id, MuteConditions.Parse(m), m.StartsAt, m.EndsAt, m.Comment, m.CreatedBy, m.StartsAt <= now && m.EndsAt > now);
}

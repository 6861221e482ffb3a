using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Notify;

namespace SignalCraft.Routing;

/// <summary>The outcome of saving a rule.</summary>
public abstract record RuleSave
{
    private RuleSave()
    {
    }

    public sealed record Saved(RuleDto Rule) : RuleSave;

    public sealed record Invalid(Dictionary<string, string[]> Errors, int Status) : RuleSave;

    public sealed record NotFound : RuleSave;
}

/// <summary>
/// Reads and writes routing rules in the API's shape. Targets are resolved to <see cref="NotificationTarget"/> ids
/// on save and expanded (masked) on read.
/// </summary>
public sealed class RuleStore(SignalCraftDbContext db, TargetRegistry targets, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The workspace's rules in evaluation order, with targets described.</summary>
    public async Task<List<RuleDto>> ListAsync(CancellationToken ct)
    {
        var rules = await db.Set<RoutingRule>().AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(ct);
        var targetRows = await db.Set<NotificationTarget>().AsNoTracking().ToDictionaryAsync(t => t.Id, ct);
        return rules.Select(r => ToDto(r, targetRows)).ToList();
    }

    public async Task<RuleDto?> GetAsync(long id, CancellationToken ct) =>
        (await ListAsync(ct)).FirstOrDefault(r => r.Id == id);

    /// <summary>Rules of a workspace as stored (targets by id), for evaluation inside a transaction.</summary>
    public static async Task<List<(RoutingRule Row, RuleDto Rule)>> ForEvaluationAsync(SignalCraftDbContext db, long workspaceId, CancellationToken ct)
    {
        var rows = await db.Set<RoutingRule>().IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.Enabled).OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(ct);
        return rows.Select(r => (r, ToDto(r, null))).ToList();
    }

    public async Task<RuleSave> SaveAsync(long workspaceId, long? id, RuleDto input, CancellationToken ct)
    {
        var errors = RuleEvaluator.Validate(input);
        if (errors.Count > 0)
        {
            return new RuleSave.Invalid(errors, 400);
        }
        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        RoutingRule? row = null;
        if (id is not null)
        {
            row = await db.Set<RoutingRule>().FirstOrDefaultAsync(r => r.Id == id, ct);
            if (row is null)
            {
                return new RuleSave.NotFound();
            }
        }

        var storedTargets = new List<TargetSpec>();
        for (var i = 0; i < input.Actions.Targets.Count; i++)
        {
            switch (await ResolveAsync(workspaceId, input.Actions.Targets[i], $"actions.targets[{i}]", ct))
            {
                case TargetResolution.Refused refused:
                    return new RuleSave.Invalid(new() { [refused.Field] = [refused.Message] }, refused.Status);
                case TargetResolution.Resolved resolved:
                    storedTargets.Add(new TargetSpec { Kind = resolved.Target.Kind, TargetId = resolved.Target.Id });
                    break;
            }
        }
        var steps = new List<EscalationStep>();
        for (var i = 0; i < input.Actions.Escalation.Count; i++)
        {
            var step = input.Actions.Escalation[i];
            TargetSpec? stepTarget = null;
            if (step.Target is not null)
            {
                switch (await ResolveAsync(workspaceId, step.Target, $"actions.escalation[{i}].target", ct))
                {
                    case TargetResolution.Refused refused:
                        return new RuleSave.Invalid(new() { [refused.Field] = [refused.Message] }, refused.Status);
                    case TargetResolution.Resolved resolved:
                        stepTarget = new TargetSpec { Kind = resolved.Target.Kind, TargetId = resolved.Target.Id };
                        break;
                }
            }
            steps.Add(step with { Target = stepTarget });
        }

        var actions = input.Actions with { Targets = storedTargets, Escalation = steps };
        if (row is null)
        {
            var last = await db.Set<RoutingRule>().MaxAsync(r => (int?)r.Position, ct) ?? 0;
            row = new RoutingRule
            {
                WorkspaceId = workspaceId, Name = input.Name, ConditionsJson = "{}", ActionsJson = "{}",
                Position = input.Position ?? last + 1, CreatedAt = now,
            };
            db.Add(row);
        }
        row.Name = input.Name.Trim();
        row.Enabled = input.Enabled;
        row.Continue = input.Continue;
        if (input.Position is { } position)
        {
            row.Position = position;
        }
        row.ConditionsJson = JsonSerializer.Serialize(input.Conditions, Json);
        row.ActionsJson = JsonSerializer.Serialize(actions, Json);
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new RuleSave.Saved((await GetAsync(row.Id, ct))!);
    }

    /// <summary>
    /// A target the rule already has may be named by its <c>targetId</c> alone: a webhook's URL is only ever shown
    /// masked, so an edit that keeps it cannot send the URL again. Anything else is checked as on creation.
    /// </summary>
    private async Task<TargetResolution> ResolveAsync(long workspaceId, TargetSpec spec, string field, CancellationToken ct)
    {
        if (spec.TargetId is { } targetId && spec.Url is null && spec.Channel is null)
        {
            var kept = await db.Set<NotificationTarget>().FirstOrDefaultAsync(t => t.Id == targetId && t.Kind == spec.Kind, ct);
            return kept is null
                ? new TargetResolution.Refused(field, $"No {spec.Kind} target of this workspace has id {targetId}.", 422)
                : new TargetResolution.Resolved(kept);
        }
        return await targets.ResolveAsync(workspaceId, spec, field, ct);
    }

    /// <summary>Turns a rule on or off (no other field changes, so nothing needs checking again).</summary>
    public async Task<bool> SetEnabledAsync(long id, bool enabled, CancellationToken ct) =>
        await db.Set<RoutingRule>().Where(r => r.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Enabled, enabled).SetProperty(r => r.UpdatedAt, time.GetUtcNow().UtcDateTime), ct) > 0;

    /// <summary>Moves a rule one place earlier (<paramref name="by"/> = -1) or later (+1) in the evaluation order.</summary>
    public async Task<bool> MoveAsync(long id, int by, CancellationToken ct)
    {
        var ids = await db.Set<RoutingRule>().OrderBy(r => r.Position).ThenBy(r => r.Id).Select(r => r.Id).ToListAsync(ct);
        var at = ids.IndexOf(id);
        if (at < 0)
        {
            return false;
        }
        var to = Math.Clamp(at + by, 0, ids.Count - 1);
        (ids[at], ids[to]) = (ids[to], ids[at]);
        return (await ReorderAsync(ids, ct)).Count == 0;
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct) =>
        await db.Set<RoutingRule>().Where(r => r.Id == id).ExecuteDeleteAsync(ct) > 0;

    /// <summary>Sets the evaluation order; every id must be one of the workspace's rules (else the missing ids).</summary>
    public async Task<List<long>> ReorderAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        var rows = await db.Set<RoutingRule>().ToListAsync(ct);
        var missing = ids.Where(id => rows.All(r => r.Id != id)).ToList();
        if (missing.Count > 0)
        {
            return missing;
        }
        var position = 1;
        foreach (var id in ids)
        {
            rows.Single(r => r.Id == id).Position = position++;
        }
        foreach (var rest in rows.Where(r => !ids.Contains(r.Id)).OrderBy(r => r.Position))
        {
            rest.Position = position++;
        }
        await db.SaveChangesAsync(ct);
        return [];
    }

    internal static RuleDto ToDto(RoutingRule row, IReadOnlyDictionary<long, NotificationTarget>? targetRows)
    {
        var actions = JsonSerializer.Deserialize<RuleActions>(row.ActionsJson, Json) ?? new();
        TargetSpec Expand(TargetSpec t) => targetRows is not null && t.TargetId is { } tid && targetRows.TryGetValue(tid, out var target)
            ? TargetRegistry.Describe(target)
            : t;
        return new RuleDto
        {
            Id = row.Id,
            Name = row.Name,
            Enabled = row.Enabled,
            Continue = row.Continue,
            Position = row.Position,
            Conditions = JsonSerializer.Deserialize<RuleConditions>(row.ConditionsJson, Json) ?? new(),
            Actions = actions with
            {
                Targets = actions.Targets.Select(Expand).ToList(),
                Escalation = actions.Escalation.Select(s => s with { Target = s.Target is null ? null : Expand(s.Target) }).ToList(),
            },
        };
    }
}

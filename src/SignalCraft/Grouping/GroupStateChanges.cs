using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping.Sql;

namespace SignalCraft.Grouping;

/// <summary>
/// The source's own state changes (resolve, unresolve, ignore, assign, comment). They apply to the open group(s)
/// of the identity whatever their environment and never count as occurrences.
/// </summary>
internal static class GroupStateChanges
{
    public static async Task<List<GroupChange>> ApplyAsync(SignalCraftDbContext db, bool postgres, IMemberDirectory members,
        GroupingInput input, CancellationToken ct)
    {
        var (alert, now) = (input.Alert, input.Now);
        var actor = alert.Actor ?? "Sentry";
        var open = await GroupLockSql.OpenAnyEnvironmentAsync(db, postgres, input.WorkspaceId, input.IntegrationId, alert.Identity!, ct);
        var changes = new List<GroupChange>();

        switch (alert.Kind)
        {
            case AlertKind.Resolved:
                foreach (var group in open)
                {
                    group.Status = GroupStatus.Resolved;
                    group.Resolution = Resolution.Source;
                    group.ResolvedAt = now;
                    group.UpdatedAt = now;
                    Timeline.Add(db, group, now, TimelineKinds.Resolved, actor, $"Resolved in Sentry by {actor}");
                    changes.Add(Change(group, GroupChangeKind.Resolved));
                }
                break;

            case AlertKind.Unresolved:
                foreach (var group in open.Where(g => g.IgnoredInSource))
                {
                    group.IgnoredInSource = false;
                    group.UpdatedAt = now;
                    Timeline.Add(db, group, now, TimelineKinds.IgnoredInSource, actor, $"Unresolved in Sentry by {actor}; notifications resume");
                    changes.Add(Change(group, GroupChangeKind.Reopened));
                }
                if (open.Count == 0
                    && await GroupLockSql.LatestResolvedAsync(db, postgres, input.WorkspaceId, input.IntegrationId, alert.Identity!, null, ct) is { } resolved
                    && (await GroupLockSql.OpenWithKeyAsync(db, postgres, input.WorkspaceId, input.IntegrationId, resolved.Identity, resolved.EnvironmentKey, ct)).Count == 0)
                {
                    resolved.IgnoredInSource = false;
                    changes.Add(GroupingService.Reopen(db, resolved, alert, actor, counts: false, now, $"Unresolved in Sentry by {actor}"));
                }
                break;

            case AlertKind.Ignored:
                foreach (var group in open.Where(g => !g.IgnoredInSource))
                {
                    group.IgnoredInSource = true;
                    group.UpdatedAt = now;
                    Timeline.Add(db, group, now, TimelineKinds.IgnoredInSource, actor,
                        $"Ignored in Sentry by {actor}; notifications are held until it is unresolved");
                    changes.Add(Change(group, GroupChangeKind.Held));
                }
                break;

            case AlertKind.Assigned:
                foreach (var group in open)
                {
                    var who = alert.AssigneeName ?? alert.AssigneeEmail ?? "someone";
                    if (alert.AssigneeEmail is { } email && await members.FindByEmailAsync(db, input.WorkspaceId, email, ct) is { } member)
                    {
                        group.AssigneeUserId = member.UserId;
                        group.AssigneeName = member.DisplayName;
                    }
                    group.UpdatedAt = now;
                    Timeline.Add(db, group, now, TimelineKinds.Assigned, actor, $"Assigned in Sentry to {who} by {actor}");
                    changes.Add(Change(group, GroupChangeKind.Grew));
                }
                break;

            case AlertKind.Note:
                var targets = open.Count > 0 ? open
                    : await GroupLockSql.LatestResolvedAsync(db, postgres, input.WorkspaceId, input.IntegrationId, alert.Identity!, null, ct) is { } latest
                        ? [latest] : [];
                foreach (var group in targets)
                {
                    Timeline.Add(db, group, now, TimelineKinds.Note, actor, $"Comment in Sentry: {alert.NoteText}");
                    changes.Add(Change(group, GroupChangeKind.None));
                }
                break;
        }
        return changes;
    }

    private static GroupChange Change(AlertGroup group, GroupChangeKind kind) => new(group.Id, group.WorkspaceId, kind, group.OpenCycle);
}

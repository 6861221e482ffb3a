using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Notify.Slack;
using SignalCraft.Secrets;

namespace SignalCraft.Actions;

/// <summary>
/// <c>POST /webhooks/slack/actions</c>, Slack's interactivity Request URL: verifies the signature over the raw body,
/// finds the group by (team, channel, message ts) — only in the workspace whose message it is, though several may share
/// a Slack team — enqueues the click and answers at once (Slack wants an answer within 3 seconds).
/// </summary>
public static class SlackActionsEndpoint
{
    public const string Path = "/webhooks/slack/actions";
    internal const string ResponseUrlPurpose = "slack-response-url";
    private const int MaxBody = 256 * 1024;

    public static IEndpointRouteBuilder MapSlackActionsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, SignalCraftDbContext db, JobClient jobs, SecretProtector secrets,
        IOptions<SlackOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (request.ContentLength is > MaxBody)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();
        if (body.Length > MaxBody)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        if (!SlackSignature.Verify(options.Value.SigningSecret, request.Headers["X-Slack-Request-Timestamp"], request.Headers["X-Slack-Signature"],
            body, time.GetUtcNow()))
        {
            return Results.Unauthorized(); // opaque, as Slack's SDKs answer
        }
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        if (!form.TryGetValue("payload", out var payloadText) || ParseClick(payloadText.ToString()) is not { } click)
        {
            return Results.Ok(); // other interaction types, URL buttons: nothing to do
        }
        var message = await db.Set<GroupNotification>().IgnoreQueryFilters()
            .Where(n => n.MessageRef == click.MessageTs && n.MessageChannel == click.Channel)
            .Join(db.Set<NotificationTarget>().IgnoreQueryFilters(), n => n.TargetId, t => t.Id, (n, t) => new { n, t })
            .Join(db.Set<SlackConnection>().IgnoreQueryFilters(), x => x.t.ConnectionId, c => c.Id, (x, c) => new { x.n, c })
            .Where(x => x.c.TeamId == click.TeamId && x.c.WorkspaceId == x.n.WorkspaceId)
            .Select(x => x.n).FirstOrDefaultAsync(ct);
        if (message is null)
        {
            return Results.Ok(); // not one of our messages (or another team's): acknowledged, nothing changes
        }
        var args = new SlackClick(message.WorkspaceId, message.GroupId, message.TargetId, click.TeamId, click.UserId, click.UserName, click.ActionId,
            click.ResponseUrl is null ? null : secrets.Protect(ResponseUrlPurpose, click.ResponseUrl), click.ActionTs);
        await jobs.EnqueueAsync(args, new EnqueueOptions
        {
            Priority = JobPriority.Critical, UniqueKey = args.UniqueKey, WorkspaceId = message.WorkspaceId, MaxAttempts = 5,
        }, ct);
        await db.SaveChangesAsync(ct);
        return Results.Ok();
    }

    internal sealed record ParsedClick(string TeamId, string Channel, string MessageTs, string UserId, string UserName, string ActionId,
        string ActionTs, string? ResponseUrl);

    /// <summary>The first action of a <c>block_actions</c> payload on a message, when it is one of our buttons.</summary>
    internal static ParsedClick? ParseClick(string payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            if (Text(root, "type") != "block_actions" || !root.TryGetProperty("actions", out var actions) || actions.GetArrayLength() == 0)
            {
                return null;
            }
            var action = actions[0];
            var actionId = Text(action, "action_id");
            if (actionId is null || !(actionId == SlackMessageBuilder.AckAction || actionId == SlackMessageBuilder.ResolveAction
                || actionId.StartsWith(SlackMessageBuilder.SnoozePrefix, StringComparison.Ordinal)))
            {
                return null;
            }
            var container = root.GetProperty("container");
            var user = root.GetProperty("user");
            var team = Text(root.GetProperty("team"), "id") ?? Text(user, "team_id");
            var channel = Text(container, "channel_id") ?? (root.TryGetProperty("channel", out var c) ? Text(c, "id") : null);
            var ts = Text(container, "message_ts");
            var userId = Text(user, "id");
            if (team is null || channel is null || ts is null || userId is null)
            {
                return null;
            }
            return new ParsedClick(team, channel, ts, userId, Text(user, "name") ?? Text(user, "username") ?? userId, actionId,
                Text(action, "action_ts") ?? ts, Text(root, "response_url"));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

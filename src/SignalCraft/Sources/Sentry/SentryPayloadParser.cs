using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using SignalCraft.Alerts;

namespace SignalCraft.Sources.Sentry;

/// <summary>
/// Maps every Sentry webhook kind (Integration Platform resources and the legacy WebHooks plugin) to a
/// <see cref="NormalizedAlert"/>. Pure: no I/O, the receive time comes in with the request.
/// </summary>
public static partial class SentryPayloadParser
{
    public const string SourceName = "sentry";

    public static SentryParseResult Parse(SentryRequest request, bool legacyMode)
    {
        // JSON text is UTF-8 (RFC 8259). The reader only checks the strings it is asked for, so a bad byte in a field the
        // parser skips would be stored, replaced by U+FFFD, as a raw payload that is not what the sender signed.
        if (!System.Text.Unicode.Utf8.IsValid(request.Body.Span))
        {
            return new SentryParseResult.Unparseable("the body is not valid UTF-8");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body);
        }
        catch (JsonException ex)
        {
            return new SentryParseResult.Unparseable($"malformed JSON: {ex.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new SentryParseResult.Unparseable("the body is not a JSON object");
            }
            try
            {
                return legacyMode ? ParseLegacy(root, request) : ParseResource(root, request);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException)
            {
                return new SentryParseResult.Unparseable($"unexpected shape: {ex.Message}");
            }
        }
    }

    /// <summary>True for the flat body of the legacy WebHooks plugin (no envelope).</summary>
    public static bool LooksLegacy(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && (root.TryGetProperty("triggering_rules", out _) || root.TryGetProperty("project_slug", out _))
        && !root.TryGetProperty("installation", out _);

    private static SentryParseResult ParseResource(JsonElement root, SentryRequest request)
    {
        var action = root.Text("action");
        var data = root.Get("data");
        if (request.Resource is null || action is null || data is not { ValueKind: JsonValueKind.Object } body)
        {
            return new SentryParseResult.Unparseable("missing Sentry-Hook-Resource, action or data");
        }
        var name = $"{request.Resource}.{action}";
        var actor = root.Text("actor", "name");
        return request.Resource switch
        {
            "event_alert" => Occurrence(body.Get("event"), name, body.Text("triggered_rule") ?? body.Text("issue_alert", "title"), request),
            "error" => Occurrence(body.Get("error"), name, null, request),
            "issue" => Issue(body, action, name, actor, request),
            "metric_alert" => MetricAlert(body, action, name, request),
            "comment" => Comment(body, action, name, actor, request),
            _ => Informational(name, request),
        };
    }

    private static SentryParseResult Occurrence(JsonElement? maybeEvent, string action, string? rule, SentryRequest request)
    {
        if (maybeEvent is not { ValueKind: JsonValueKind.Object } e)
        {
            return new SentryParseResult.Unparseable($"{action} without its event");
        }
        var eventId = e.Id("event_id") ?? e.Id("id");
        var issueId = e.Id("issue_id") ?? e.Id("group_id");
        if (eventId is null || issueId is null)
        {
            return new SentryParseResult.Unparseable($"{action} without event_id or issue_id");
        }
        var tags = e.Tags("tags");
        var project = ProjectFromEventUrl(e.Text("url")) ?? e.Text("project");
        var alert = new NormalizedAlert(
            SourceName, AlertKind.Occurrence, action, eventId, "issue:" + issueId, project,
            Environment(e, tags), MapLevel(e.Text("level") ?? Tag(tags, "level")),
            Title(e), e.Text("culprit") ?? e.Text("metadata", "value"), tags,
            e.Instant("datetime") ?? e.Instant("timestamp") ?? request.ReceivedAt,
            e.Text("web_url") ?? e.Text("issue_url"), rule);
        return new SentryParseResult.Parsed(alert);
    }

    private static SentryParseResult Issue(JsonElement body, string action, string name, string? actor, SentryRequest request)
    {
        if (body.Get("issue") is not { ValueKind: JsonValueKind.Object } issue || issue.Text("id") is not { } issueId)
        {
            return new SentryParseResult.Unparseable($"{name} without data.issue.id");
        }
        var kind = action switch
        {
            "created" => AlertKind.Opened,
            "resolved" => AlertKind.Resolved,
            "unresolved" => AlertKind.Unresolved,
            "ignored" or "archived" => AlertKind.Ignored,
            "assigned" => AlertKind.Assigned,
            _ => AlertKind.Informational,
        };
        var occurred = kind == AlertKind.Opened
            ? issue.Instant("firstSeen") ?? request.HookTimestamp ?? request.ReceivedAt
            : request.HookTimestamp ?? request.ReceivedAt;
        var alert = new NormalizedAlert(
            SourceName, kind, name, StateChangeId(request), "issue:" + issueId, issue.Text("project", "slug"),
            Environment: null, kind == AlertKind.Opened ? MapLevel(issue.Text("level")) : null,
            issue.Text("title") ?? $"Sentry issue {issueId}", issue.Text("culprit"), [], occurred,
            issue.Text("web_url") ?? issue.Text("permalink"), RuleName: null)
        {
            Actor = actor,
            AssigneeName = body.Text("assignee", "name") ?? issue.Text("assignedTo", "name"),
            AssigneeEmail = body.Text("assignee", "email") ?? issue.Text("assignedTo", "email"),
        };
        return new SentryParseResult.Parsed(alert);
    }

    private static SentryParseResult MetricAlert(JsonElement body, string action, string name, SentryRequest request)
    {
        if (body.Get("metric_alert") is not { ValueKind: JsonValueKind.Object } incident || incident.Text("id") is not { } id)
        {
            return new SentryParseResult.Unparseable($"{name} without data.metric_alert.id");
        }
        var projects = incident.Get("projects") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(p => p.GetString()).OfType<string>().ToList()
            : [];
        var (kind, severity) = action switch
        {
            "critical" => (AlertKind.Occurrence, (Severity?)Severity.Critical),
            "warning" => (AlertKind.Occurrence, Severity.Med),
            "open" => (AlertKind.Occurrence, Severity.Med),
            "resolved" => (AlertKind.Resolved, null),
            _ => (AlertKind.Informational, null),
        };
        var occurred = kind == AlertKind.Resolved
            ? incident.Instant("date_closed") ?? request.HookTimestamp ?? request.ReceivedAt
            : incident.Instant("date_started") ?? request.HookTimestamp ?? request.ReceivedAt;
        var tags = projects.Select(p => new AlertTag("project", p)).ToList();
        if (incident.Text("alert_rule", "query") is { } query)
        {
            tags.Add(new AlertTag("query", query));
        }
        var alert = new NormalizedAlert(
            SourceName, kind, name, StateChangeId(request), "metric:" + id, projects.FirstOrDefault(),
            incident.Text("alert_rule", "environment"), severity,
            body.Text("description_title") ?? incident.Text("title") ?? $"Sentry metric alert {id}",
            body.Text("description_text")?.Replace("\\n", "\n", StringComparison.Ordinal), tags, occurred,
            body.Text("web_url"), incident.Text("alert_rule", "name"))
        {
            SourceResolves = true,
        };
        return new SentryParseResult.Parsed(alert);
    }

    private static SentryParseResult Comment(JsonElement body, string action, string name, string? actor, SentryRequest request)
    {
        var issueId = body.Text("issue_id");
        if (issueId is null)
        {
            return new SentryParseResult.Unparseable($"{name} without data.issue_id");
        }
        var text = body.Text("comment");
        var alert = new NormalizedAlert(
            SourceName, action == "created" ? AlertKind.Note : AlertKind.Informational, name, StateChangeId(request),
            "issue:" + issueId, body.Text("project_slug"), null, null, $"Comment on Sentry issue {issueId}", text, [],
            body.Instant("timestamp") ?? request.HookTimestamp ?? request.ReceivedAt, null, null)
        {
            Actor = actor,
            NoteText = text,
        };
        return new SentryParseResult.Parsed(alert);
    }

    private static SentryParseResult Informational(string name, SentryRequest request) =>
        new SentryParseResult.Parsed(new NormalizedAlert(
            SourceName, AlertKind.Informational, name, StateChangeId(request), null, null, null, null,
            $"Sentry {name}", null, [], request.HookTimestamp ?? request.ReceivedAt, null, null));

    private static SentryParseResult ParseLegacy(JsonElement root, SentryRequest request)
    {
        var groupId = root.Text("id");
        var e = root.Get("event");
        if (groupId is null || e is not { ValueKind: JsonValueKind.Object } evt)
        {
            return new SentryParseResult.Unparseable("legacy webhook without id or event");
        }
        var eventId = evt.Text("event_id") ?? evt.Text("id") ?? HashOf(request.Body);
        var tags = evt.Tags("tags");
        var title = evt.Text("title") ?? root.Text("message") ?? root.Text("culprit")
            ?? evt.Text("metadata", "value") ?? $"Sentry issue {groupId}";
        var rule = root.Get("triggering_rules") is { ValueKind: JsonValueKind.Array } rules && rules.GetArrayLength() > 0
            ? rules[0].GetString()
            : null;
        var alert = new NormalizedAlert(
            SourceName, AlertKind.Occurrence, "legacy.alert", eventId, "issue:" + groupId,
            root.Text("project_slug") ?? root.Text("project"), Environment(evt, tags),
            MapLevel(root.Text("level") ?? evt.Text("level")), Title(evt) is { } t && t != UntitledEvent ? t : title,
            root.Text("culprit") ?? evt.Text("culprit"), tags,
            evt.Instant("timestamp") ?? evt.Instant("datetime") ?? request.ReceivedAt, root.Text("url"), rule);
        return new SentryParseResult.Parsed(alert);
    }

    /// <summary>Sentry levels to SignalCraft severities: fatal→critical, error→high, warning→med, info→low, debug→info.</summary>
    public static Severity MapLevel(string? level) => level?.ToLowerInvariant() switch
    {
        "fatal" or "critical" => Severity.Critical,
        "error" => Severity.High,
        "warning" or "warn" => Severity.Med,
        "info" or "log" => Severity.Low,
        "debug" or "sample" => Severity.Info,
        _ => Severity.High, // an event without a level is an error by Sentry's own default
    };

    private const string UntitledEvent = "<untitled>";

    private static string Title(JsonElement e) =>
        e.Text("title") ?? e.Text("logentry", "formatted") ?? e.Text("message")
        ?? (e.Text("metadata", "type") is { } type ? $"{type}: {e.Text("metadata", "value")}" : null) ?? UntitledEvent;

    private static string? Environment(JsonElement e, List<AlertTag> tags) => e.Text("environment") ?? Tag(tags, "environment");

    private static string? Tag(List<AlertTag> tags, string key) => tags.FirstOrDefault(t => t.Key == key)?.Value;

    /// <summary>State changes carry no event id: Request-ID identifies the delivery, else a hash of the body.</summary>
    private static string StateChangeId(SentryRequest request) =>
        request.RequestId is { Length: > 0 } id ? "req:" + id : "sha256:" + HashOf(request.Body);

    private static string HashOf(ReadOnlyMemory<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body.Span));

    private static string? ProjectFromEventUrl(string? url) =>
        url is not null && ProjectInUrl().Match(url) is { Success: true } m ? Uri.UnescapeDataString(m.Groups[1].Value) : null;

    [GeneratedRegex(@"/projects/[^/]+/([^/]+)/events/", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectInUrl();
}

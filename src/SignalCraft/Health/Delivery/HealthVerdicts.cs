using SignalCraft.Integrations;
using SignalCraft.Notify;
using SignalCraft.Notify.Slack;

namespace SignalCraft.Health.Delivery;

/// <summary>A row's state and the sentence that says why, in words a person acts on.</summary>
public sealed record Verdict(string State, string Reason);

/// <summary>
/// Decides each Delivery Health row's red / amber / green from plain values (no database, no clock of its own), so
/// the rules are tested directly. Red: alerts are not getting through. Amber: degraded, or not proven yet.
/// </summary>
public static class HealthVerdicts
{
    /// <summary>A source goes red after three expected intervals of silence, amber after one (as a stale group does).</summary>
    public const int SilentIntervalsForRed = 3;

    public sealed record SourceFacts(
        string Name, bool Enabled, bool NeedsClientSecret, DateTime CreatedAt, DateTime? LastWebhookAt, int? ExpectedIntervalMinutes,
        WebhookWindow LastHour, WebhookWindow Last24Hours, DateTime? LastRejectionAt, string? LastRejectionReason);

    public static Verdict Source(SourceFacts s, DateTime now)
    {
        if (!s.Enabled)
        {
            return new(HealthState.Amber, $"{s.Name} is disabled: its webhooks are refused (404) until it is enabled again");
        }
        if (s.NeedsClientSecret)
        {
            return new(HealthState.Red, $"no client secret yet: {s.Name}'s webhooks are refused (409) — paste the integration's Client Secret");
        }
        var lastRefusal = s.LastRejectionReason is { } r && s.LastRejectionAt is { } at
            ? $"last: {RejectionWords(r)} {Ago(now - at)}" : "";
        if (s.LastHour.Rejected > 0 && s.LastHour.Accepted == 0)
        {
            return new(HealthState.Red, $"every webhook from {s.Name} in the last hour was refused ({s.LastHour.Rejected}, {lastRefusal}) — "
                + RejectionFix(s.LastRejectionReason));
        }
        if (s.ExpectedIntervalMinutes is { } expected)
        {
            var silentFor = now - (s.LastWebhookAt ?? s.CreatedAt);
            var interval = TimeSpan.FromMinutes(expected);
            if (silentFor > interval)
            {
                var state = silentFor > interval * SilentIntervalsForRed ? HealthState.Red : HealthState.Amber;
                return new(state, $"no webhook from {s.Name} for {Duration(silentFor)}; expected at least {Every(interval)}");
            }
        }
        if (s.LastHour.Rejected > 0)
        {
            return new(HealthState.Amber, $"{Plural(s.LastHour.Rejected, "webhook")} from {s.Name} refused in the last hour ({lastRefusal}) — "
                + RejectionFix(s.LastRejectionReason));
        }
        var quarantined = s.Last24Hours.AcceptedByReason.Where(c => c.Reason == WebhookReasons.Quarantined).Sum(c => c.Count);
        if (quarantined > 0)
        {
            return new(HealthState.Amber, $"{Plural(quarantined, "unreadable body", "unreadable bodies")} from {s.Name} quarantined in 24 h — "
                + "admins can read them under Quarantine");
        }
        if (s.LastWebhookAt is not { } last)
        {
            return new(HealthState.Amber, $"no webhook received from {s.Name} yet — send a test alert to prove the setup");
        }
        return new(HealthState.Green, $"last webhook {Ago(now - last)}");
    }

    /// <summary>The connection row is about its token: refused means nothing reaches any of its channels.</summary>
    public static Verdict SlackConnection(string status, string? lastError, DateTime? lastErrorAt, DateTime? checkedAt, DateTime now)
    {
        if (status == Integrations.Slack.SlackConnectionStatus.Unhealthy)
        {
            var when = lastErrorAt is { } at ? " " + Ago(now - at) : "";
            return new(HealthState.Red, $"{TokenWords(lastError)}{when} — reconnect Slack");
        }
        return checkedAt is { } c
            ? new(HealthState.Green, $"token works (checked with auth.test {Ago(now - c)})")
            : new(HealthState.Green, "token works (checked when connected)");
    }

    public sealed record TargetFacts(
        string Name, string Status, DateTime? LastSuccessAt, DateTime? LastFailureAt, string? LastError, bool ConnectionRefused,
        int Queued, TimeSpan? OldestQueued, int Retrying, int Discarded);

    public static Verdict Target(TargetFacts t, TimeSpan slo, DateTime now)
    {
        if (t.ConnectionRefused)
        {
            return new(HealthState.Red, $"nothing reaches {t.Name}: Slack refuses the connection's token — reconnect Slack"
                + (t.Discarded > 0 ? $", then Retry the {Plural(t.Discarded, "discarded notification")}" : ""));
        }
        if (t.Status == TargetStatus.Broken)
        {
            var when = t.LastFailureAt is { } at ? " " + Ago(now - at) : "";
            return new(HealthState.Red, $"{t.Name}: {TargetErrorWords(t.LastError)}{when} — {TargetFix(t.LastError)}");
        }
        if (t.Discarded > 0)
        {
            return new(HealthState.Red, $"{Plural(t.Discarded, "notification")} to {t.Name} discarded after failing ({Short(t.LastError)}) — "
                + "Retry once the cause is fixed");
        }
        if (t.OldestQueued is { } oldest && oldest > slo)
        {
            return new(HealthState.Red, $"{Plural(t.Queued, "notification")} to {t.Name} waiting, the oldest for {Duration(oldest)} "
                + $"(over the {Duration(slo)} delivery SLO)" + (t.LastError is null ? "" : $"; last error: {Short(t.LastError)}"));
        }
        if (t.Retrying > 0)
        {
            return new(HealthState.Amber, $"{Plural(t.Retrying, "notification")} to {t.Name} retrying after {Short(t.LastError)}");
        }
        if (t.LastFailureAt is { } failed && (t.LastSuccessAt is not { } ok || failed > ok))
        {
            return new(HealthState.Amber, $"last attempt to {t.Name} failed {Ago(now - failed)}: {Short(t.LastError)}");
        }
        return t.LastSuccessAt is { } success
            ? new(HealthState.Green, $"last delivered {Ago(now - success)}")
            : new(HealthState.Green, "no notification sent yet");
    }

    public static Verdict Queue(int queued, TimeSpan? oldest, int retrying, DateTime? leaseExpiresAt, TimeSpan slo, DateTime now)
    {
        if (oldest is { } age && age > slo)
        {
            return new(HealthState.Red, $"{Plural(queued, "notification")} queued, the oldest for {Duration(age)} (over the {Duration(slo)} delivery SLO)");
        }
        // The lease is renewed every maintenance interval while a worker runs; a minute of grace absorbs a slow sweep.
        if (leaseExpiresAt is null)
        {
            return new(HealthState.Amber, "no job worker has run maintenance yet: check that a SignalCraft instance runs with Jobs:Workers > 0");
        }
        if (leaseExpiresAt < now - TimeSpan.FromMinutes(1))
        {
            return new(HealthState.Amber,
                $"no job worker has renewed the maintenance lease for {Duration(now - leaseExpiresAt.Value)}: check that a SignalCraft instance runs");
        }
        if (retrying > 0)
        {
            return new(HealthState.Amber, $"{Plural(retrying, "notification")} retrying");
        }
        return new(HealthState.Green, queued == 0 ? "nothing waiting" : $"{Plural(queued, "notification")} queued, none late");
    }

    /// <summary>The Slack auth error named in a connection's last error, in words.</summary>
    public static string TokenWords(string? lastError)
    {
        var code = SlackErrorClassifier.AuthErrors.FirstOrDefault(e => lastError?.Contains(e, StringComparison.Ordinal) == true);
        return code switch
        {
            "token_revoked" => "Slack token revoked",
            "account_inactive" => "Slack app removed from the Slack workspace (account_inactive)",
            "invalid_auth" => "Slack token no longer valid (invalid_auth)",
            "not_authed" => "no Slack token sent (not_authed)",
            "token_expired" => "Slack token expired and could not be refreshed",
            _ when lastError?.Contains("refresh", StringComparison.OrdinalIgnoreCase) == true => "Slack token expired and could not be refreshed",
            _ => "Slack refused the token" + (lastError is null ? "" : $" ({Short(lastError)})"),
        };
    }

    private static string TargetErrorWords(string? error) => error switch
    {
        null => "delivery failed",
        _ when error.Contains("channel_not_found") => "channel not found",
        _ when error.Contains("is_archived") || error.Contains("is_inactive") => "channel archived",
        _ when error.Contains("not_in_channel") => "the bot is not in the channel",
        _ when error.Contains("missing_scope") => "the Slack app lacks a scope",
        _ => Short(error),
    };

    private static string TargetFix(string? error) => error switch
    {
        _ when error?.Contains("missing_scope") == true => "reconnect Slack to grant it, then Retry",
        _ when error?.Contains("not_in_channel") == true => "invite the SignalCraft bot to the channel, then Retry",
        _ when error?.Contains("channel_not_found") == true || error?.Contains("is_archived") == true
            => "pick another channel in the rule (or invite the bot), then Retry",
        _ => "fix the target, then Retry",
    };

    /// <summary>A webhook rejection reason in words.</summary>
    public static string RejectionWords(string reason) => reason switch
    {
        WebhookReasons.BadSignature => "bad signature",
        WebhookReasons.MissingSignature => "missing signature",
        WebhookReasons.StaleTimestamp => "stale timestamp",
        WebhookReasons.TooLarge => "body over 1 MiB",
        WebhookReasons.WrongMode => "payload of the other mode",
        WebhookReasons.NoClientSecret => "no client secret",
        WebhookReasons.Disabled => "integration disabled",
        WebhookReasons.RateLimited => "rate limited after failed verifications",
        WebhookReasons.DatabaseUnavailable => "database unavailable (503)",
        _ => reason.Replace('_', ' '),
    };

    private static string RejectionFix(string? reason) => reason switch
    {
        WebhookReasons.BadSignature or WebhookReasons.MissingSignature => "check that the client secret matches Sentry's",
        WebhookReasons.StaleTimestamp => "check the sender's clock",
        WebhookReasons.WrongMode => "switch the integration's mode (signed or legacy) to match how Sentry sends",
        WebhookReasons.NoClientSecret => "paste the integration's Client Secret",
        WebhookReasons.TooLarge => "the sender's payloads are over 1 MiB",
        WebhookReasons.DatabaseUnavailable => "check the database",
        WebhookReasons.Disabled => "enable the integration",
        _ => "see the counters below",
    };

    public static string Ago(TimeSpan span) => span < TimeSpan.FromSeconds(1) ? "just now" : Duration(span) + " ago";

    /// <summary>"95 s", "12 min", "6 h", "3 d" (seconds up to two minutes, where a minute's rounding would hide the SLO).</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalSeconds < 120 ? $"{Math.Max(0, (int)span.TotalSeconds)} s"
        : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min"
        : span.TotalHours < 48 ? $"{(int)span.TotalHours} h"
        : $"{(int)span.TotalDays} d";

    private static string Every(TimeSpan interval) =>
        interval == TimeSpan.FromHours(1) ? "hourly" : interval == TimeSpan.FromDays(1) ? "daily" : $"every {Duration(interval)}";

    private static string Plural(int n, string one, string? many = null) => $"{n} {(n == 1 ? one : many ?? one + "s")}";

    private static string Short(string? text) => text is null ? "no error recorded" : text.Length > 160 ? text[..160] + "…" : text;
}

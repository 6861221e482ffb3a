using SignalCraft.Health.Delivery;
using SignalCraft.Integrations;
using SignalCraft.Notify;

namespace SignalCraft.Tests.Health.Delivery;

public sealed class HealthVerdictsTests
{
    private static readonly DateTime Now = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Slo = TimeSpan.FromSeconds(60);
    private static readonly WebhookWindow Empty = new(0, 0, [], []);

    [Fact]
    public void SlackConnection_RefusedToken_RedWithWhatAndWhenAndWhatToDo()
    {
        var verdict = HealthVerdicts.SlackConnection("unhealthy", "Slack refused the token (token_revoked) at auth.test: reconnect Slack",
            Now.AddMinutes(-12), Now.AddMinutes(-12), Now);

        Assert.Equal(new Verdict("red", "Slack token revoked 12 min ago — reconnect Slack"), verdict);
        Assert.StartsWith("Slack app removed", HealthVerdicts.TokenWords("Slack refused the token (account_inactive): reconnect Slack"));
        Assert.StartsWith("Slack token expired", HealthVerdicts.TokenWords("token refresh failed (oauth.v2.access: invalid_refresh_token): reconnect Slack"));
        Assert.Equal("green", HealthVerdicts.SlackConnection("ok", "old error", Now.AddDays(-1), Now.AddMinutes(-3), Now).State);
    }

    [Fact]
    public void Source_SilentForSixExpectedHours_Red()
    {
        var facts = new HealthVerdicts.SourceFacts("Sentry", true, false, Now.AddDays(-3), Now.AddHours(-6), 60, Empty, Empty, null, null);

        Assert.Equal(new Verdict("red", "no webhook from Sentry for 6 h; expected at least hourly"), HealthVerdicts.Source(facts, Now));
        Assert.Equal("amber", HealthVerdicts.Source(facts with { LastWebhookAt = Now.AddMinutes(-90) }, Now).State);
        Assert.Equal("green", HealthVerdicts.Source(facts with { LastWebhookAt = Now.AddMinutes(-30) }, Now).State);
        Assert.Equal("green", HealthVerdicts.Source(facts with { ExpectedIntervalMinutes = null }, Now).State);
        Assert.Equal("amber", HealthVerdicts.Source(facts with { LastWebhookAt = null, ExpectedIntervalMinutes = null }, Now).State);
    }

    [Fact]
    public void Source_QuarantinedBodies_Amber()
    {
        var day = new WebhookWindow(3, 0, [new ReasonCount(WebhookReasons.Accepted, 1), new ReasonCount(WebhookReasons.Quarantined, 2)], []);
        var facts = new HealthVerdicts.SourceFacts("Sentry", true, false, Now.AddDays(-3), Now.AddMinutes(-5), null, Empty, day, null, null);

        Assert.Equal(new Verdict("amber", "2 unreadable bodies from Sentry quarantined in 24 h — admins can read them under Quarantine"),
            HealthVerdicts.Source(facts, Now));
    }

    [Fact]
    public void Target_QueuedPastTheSlo_RedThenRetryingAmberThenDeliveredGreen()
    {
        var facts = new HealthVerdicts.TargetFacts("Slack #alerts", TargetStatus.Ok, Now.AddHours(-1), Now.AddSeconds(-10),
            "Transient: chat.postMessage: HTTP 503", false, 2, TimeSpan.FromSeconds(95), 1, 0);

        Assert.Equal(new Verdict("red", "2 notifications to Slack #alerts waiting, the oldest for 95 s (over the 60 s delivery SLO); "
            + "last error: Transient: chat.postMessage: HTTP 503"), HealthVerdicts.Target(facts, Slo, Now));
        Assert.Equal("amber", HealthVerdicts.Target(facts with { OldestQueued = TimeSpan.FromSeconds(20) }, Slo, Now).State);
        Assert.Equal(new Verdict("green", "last delivered 5 min ago"), HealthVerdicts.Target(facts with
        {
            Queued = 0, OldestQueued = null, Retrying = 0, LastSuccessAt = Now.AddMinutes(-5), LastFailureAt = Now.AddMinutes(-6),
        }, Slo, Now));
    }

    [Fact]
    public void Queue_NoWorkerRenewingTheLease_Amber()
    {
        Assert.Equal("amber", HealthVerdicts.Queue(0, null, 0, Now.AddMinutes(-5), Slo, Now).State);
        Assert.Equal("amber", HealthVerdicts.Queue(0, null, 0, null, Slo, Now).State);
        Assert.Equal(new Verdict("green", "nothing waiting"), HealthVerdicts.Queue(0, null, 0, Now.AddSeconds(30), Slo, Now));
    }
}

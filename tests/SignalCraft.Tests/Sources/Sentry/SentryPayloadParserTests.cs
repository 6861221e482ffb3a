using System.Text;
using SignalCraft.Alerts;
using SignalCraft.Sources.Sentry;

namespace SignalCraft.Tests.Sources.Sentry;

public sealed class SentryPayloadParserTests
{
    /// <summary>The fixtures README's "Expected normalisation" table, row by row.</summary>
    public static TheoryData<string, AlertKind, string?, string?, Severity?, string, string, string> Expected => new()
    {
        { "event_alert.error.no-environment.docs-sample", AlertKind.Occurrence, "front-end", null, Severity.High, "issue:1117540176", "ReferenceError: heck is not defined", "2019-08-19T21:06:17.677Z" },
        { "event_alert.error.production", AlertKind.Occurrence, "web-storefront", "production", Severity.High, "issue:6123987451", "TypeError: Cannot read properties of undefined (reading 'amount')", "2025-03-14T09:26:53.412Z" },
        { "event_alert.fatal.production", AlertKind.Occurrence, "orders-api", "production", Severity.Critical, "issue:6124001337", "System.InvalidOperationException: Sequence contains no elements", "2025-03-14T11:02:07.118Z" },
        { "event_alert.warning.staging", AlertKind.Occurrence, "payments-service", "staging", Severity.Med, "issue:6124100777", "Payment provider latency above threshold: 2314 ms", "2025-03-14T12:40:31.905Z" },
        { "event_alert.info.production.wire-compact", AlertKind.Occurrence, "reporting-jobs", "production", Severity.Low, "issue:6124200042", "Bericht „Umsätze Q1“ für Zürich erstellt – 1\u202F284 Zeilen ✓", "2025-03-14T13:05:00.250Z" },
        { "error.created.docs-sample", AlertKind.Occurrence, "front-end", null, Severity.High, "issue:1170820242", "ReferenceError: blooopy is not defined", "2019-08-19T20:58:37.391Z" },
        { "issue.created.docs-sample", AlertKind.Opened, "front-end", null, Severity.High, "issue:1170820242", "ReferenceError: blooopy is not defined", "2019-08-19T20:58:37.391Z" },
        { "issue.resolved", AlertKind.Resolved, "web-storefront", null, null, "issue:6123987451", "TypeError: Cannot read properties of undefined (reading 'amount')", "2025-03-14T12:27:10Z" },
        { "metric_alert.warning", AlertKind.Occurrence, "web-storefront", "production", Severity.Med, "metric:31337", "Warning: High error volume - web-storefront (production)", "2025-03-14T09:30:00Z" },
        { "metric_alert.critical", AlertKind.Occurrence, "web-storefront", "production", Severity.Critical, "metric:31337", "Critical: High error volume - web-storefront (production)", "2025-03-14T09:30:00Z" },
        { "metric_alert.resolved", AlertKind.Resolved, "web-storefront", "production", null, "metric:31337", "Resolved: High error volume - web-storefront (production)", "2025-03-14T10:11:00Z" },
        { "metric_alert.resolved.docs-sample", AlertKind.Resolved, "bar", null, null, "metric:4", "Resolved: Too many errors", "2020-09-13T12:26:42Z" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Parse_Fixture_MatchesTheReadmeTable(string name, AlertKind kind, string? project, string? environment,
        Severity? severity, string identity, string title, string occurredAt)
    {
        var alert = ParseFixture(name);

        Assert.Equal("sentry", alert.Source);
        Assert.Equal(kind, alert.Kind);
        Assert.Equal(project, alert.Project);
        Assert.Equal(environment, alert.Environment);
        Assert.Equal(severity, alert.Severity);
        Assert.Equal(identity, alert.Identity);
        Assert.Equal(title, alert.Title);
        Assert.Equal(DateTime.Parse(occurredAt, null, System.Globalization.DateTimeStyles.AdjustToUniversal), alert.OccurredAt);
        Assert.Equal(DateTimeKind.Utc, alert.OccurredAt.Kind);
    }

    [Fact]
    public void Parse_EventAlert_KeepsEventIdTagsLinkAndRule()
    {
        var alert = ParseFixture("event_alert.error.production");

        Assert.Equal("9d3c1a7b5e2f4c08a6b4d2e0f1c3a5b7", alert.SourceEventId);
        Assert.Contains(new AlertTag("browser", "Chrome 134.0.0"), alert.Tags);
        Assert.Contains(new AlertTag("transaction", "/checkout/payment"), alert.Tags);
        Assert.StartsWith("https://", alert.Link);
        Assert.Contains("6123987451", alert.Link);
        Assert.False(string.IsNullOrEmpty(alert.RuleName));
        Assert.Equal("event_alert.triggered", alert.Action);
    }

    [Fact]
    public void Parse_NoEnvironment_StaysAbsentNeverTheStringNull()
    {
        var alert = ParseFixture("event_alert.error.no-environment.docs-sample");
        Assert.Null(alert.Environment);
        Assert.DoesNotContain(alert.Tags, t => t.Key == "environment");
    }

    [Fact]
    public void Parse_StateChanges_UseRequestIdAsEventId()
    {
        var resolved = ParseFixture("issue.resolved");
        var critical = ParseFixture("metric_alert.critical");
        var warning = ParseFixture("metric_alert.warning");

        Assert.Equal("req:" + SentryFixture.Load("issue.resolved").Header("Request-ID"), resolved.SourceEventId);
        Assert.NotEqual(critical.SourceEventId, warning.SourceEventId);
        Assert.Equal("Dana Whitfield", resolved.Actor);
        Assert.True(critical.SourceResolves);
    }

    [Fact]
    public void Parse_StateChangeWithoutRequestId_UsesBodyHash()
    {
        var fixture = SentryFixture.Load("metric_alert.critical");
        var request = SentryFixture.ToRequest(fixture) with { RequestId = null };

        var first = Assert.IsType<SentryParseResult.Parsed>(SentryPayloadParser.Parse(request, legacyMode: false)).Alert;
        var again = Assert.IsType<SentryParseResult.Parsed>(SentryPayloadParser.Parse(request, legacyMode: false)).Alert;

        Assert.StartsWith("sha256:", first.SourceEventId);
        Assert.Equal(first.SourceEventId, again.SourceEventId);
    }

    [Fact]
    public void Parse_CommentAndInstallation_BecomeNoteAndInformational()
    {
        var comment = ParseFixture("comment.created.docs-sample");
        var installation = ParseFixture("installation.created.docs-sample");

        Assert.Equal(AlertKind.Note, comment.Kind);
        Assert.Equal("issue:100", comment.Identity);
        Assert.Equal("adding a comment", comment.NoteText);
        Assert.Equal("colleen", comment.Actor);
        Assert.Equal(AlertKind.Informational, installation.Kind);
        Assert.Null(installation.Identity);
    }

    [Fact]
    public void Parse_LegacyPlugin_MapsFlatBodyAndStripsSentryTagPrefix()
    {
        var fixture = SentryFixture.Load("legacy-webhooks-plugin.error.production");
        var alert = Assert.IsType<SentryParseResult.Parsed>(
            SentryPayloadParser.Parse(SentryFixture.ToRequest(fixture), legacyMode: true)).Alert;

        Assert.Equal("billing-worker", alert.Project);
        Assert.Equal("production", alert.Environment);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal("issue:6130045521", alert.Identity);
        Assert.Equal("FileNotFoundError: [Errno 2] No such file or directory: '/srv/templates/invoice_v7.html'", alert.Title);
        Assert.Equal(new DateTime(2025, 3, 14, 14, 22, 10, 731, DateTimeKind.Utc), alert.OccurredAt);
        Assert.Equal("d4c3b2a1f0e94d8c7b6a5f4e3d2c1b0a", alert.SourceEventId);
        Assert.DoesNotContain(alert.Tags, t => t.Key.StartsWith("sentry:", StringComparison.Ordinal));
        Assert.Equal("Billing worker errors -> legacy webhook", alert.RuleName);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"action\":\"triggered\",\"installation\":{\"uuid\":\"x\"},\"data\":{}}")]
    [InlineData("")]
    public void Parse_UnreadableBody_IsUnparseableWithReason(string body)
    {
        var request = new SentryRequest("event_alert", "r1", DateTime.UtcNow, Encoding.UTF8.GetBytes(body), DateTime.UtcNow);
        var result = Assert.IsType<SentryParseResult.Unparseable>(SentryPayloadParser.Parse(request, legacyMode: false));
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    /// <summary>
    /// Found by the bad-input drill (bench/faults): a signed body with an invalid UTF-8 byte in a field the parser skips was
    /// stored as an event, its raw payload silently changed. And a boolean issue id became the group "issue:true".
    /// </summary>
    [Theory]
    [InlineData("invalid-utf8")]
    [InlineData("issue_id true")]
    [InlineData("event_id object")]
    public void Parse_SignedBodyMalformedWhereTheParserLooksAway_IsUnparseable(string fault)
    {
        var fixture = SentryFixture.Load("event_alert.error.production");
        var text = Encoding.UTF8.GetString(fixture.Body);
        var body = fault switch
        {
            // The installation's uuid is never read by the parser.
            "invalid-utf8" => InsertAfter(fixture.Body, "\"uuid\": \"", [0xC3, 0x28]),
            "issue_id true" => Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(text, "\"issue_id\":\\s*\"[^\"]*\"", "\"issue_id\": true")),
            _ => Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(text, "\"event_id\":\\s*\"[^\"]*\"", "\"event_id\": {\"id\": 1}")),
        };
        Assert.NotEqual(fixture.Body, body);
        var request = SentryFixture.ToRequest(fixture with { Body = body });

        var result = Assert.IsType<SentryParseResult.Unparseable>(SentryPayloadParser.Parse(request, legacyMode: false));

        Assert.Contains(fault == "invalid-utf8" ? "UTF-8" : "without event_id or issue_id", result.Reason);
    }

    private static byte[] InsertAfter(byte[] body, string marker, byte[] bytes)
    {
        var at = Encoding.UTF8.GetString(body).IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, marker);
        var offset = Encoding.UTF8.GetByteCount(Encoding.UTF8.GetString(body)[..at]) + Encoding.UTF8.GetByteCount(marker);
        return [.. body[..offset], .. bytes, .. body[offset..]];
    }

    [Theory]
    [InlineData("fatal", Severity.Critical)]
    [InlineData("error", Severity.High)]
    [InlineData("warning", Severity.Med)]
    [InlineData("info", Severity.Low)]
    [InlineData("debug", Severity.Info)]
    public void MapLevel_SentryLevels_MapToSeverities(string level, Severity expected) =>
        Assert.Equal(expected, SentryPayloadParser.MapLevel(level));

    private static NormalizedAlert ParseFixture(string name)
    {
        var fixture = SentryFixture.Load(name);
        var result = SentryPayloadParser.Parse(SentryFixture.ToRequest(fixture), legacyMode: name.StartsWith("legacy", StringComparison.Ordinal));
        return Assert.IsType<SentryParseResult.Parsed>(result).Alert;
    }
}

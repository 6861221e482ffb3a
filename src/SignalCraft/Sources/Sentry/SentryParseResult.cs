using SignalCraft.Alerts;

namespace SignalCraft.Sources.Sentry;

/// <summary>The raw request as the parser needs it: headers already read, body as received.</summary>
public sealed record SentryRequest(
    string? Resource,
    string? RequestId,
    DateTime? HookTimestamp,
    ReadOnlyMemory<byte> Body,
    DateTime ReceivedAt);

/// <summary>Outcome of parsing a verified Sentry request.</summary>
public abstract record SentryParseResult
{
    private SentryParseResult()
    {
    }

    /// <summary>A payload SignalCraft understands.</summary>
    public sealed record Parsed(NormalizedAlert Alert) : SentryParseResult;

    /// <summary>Authentic but unreadable: kept in quarantine (Sentry will not resend it).</summary>
    public sealed record Unparseable(string Reason) : SentryParseResult;
}

using System.Globalization;
using SignalCraft.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Sources.Sentry;

/// <summary>Sentry fixtures and the test client secret from the fixtures README.</summary>
public static class SentryFixture
{
    public const string ClientSecret = "5b1f7e3c9a2d4b6e8f0a1c3e5d7b9f2a4c6e8a0b2d4f6a8c0e2b4d6f8a1c3e5d";

    public static FixtureRequest Load(string name) => Fixtures.Load("sentry", name);

    public static IEnumerable<string> Names => Fixtures.Names("sentry");

    /// <summary>The request as the parser sees it, received a few seconds after the hook timestamp.</summary>
    public static SentryRequest ToRequest(FixtureRequest fixture)
    {
        DateTime? hook = fixture.Header("Sentry-Hook-Timestamp") is { } ts
            ? DateTime.UnixEpoch.AddSeconds(long.Parse(ts, CultureInfo.InvariantCulture))
            : null;
        return new SentryRequest(fixture.Header("Sentry-Hook-Resource"), fixture.Header("Request-ID"), hook, fixture.Body,
            hook?.AddSeconds(2) ?? new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc));
    }
}

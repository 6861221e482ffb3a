using System.Text;
using System.Text.Json;
using SignalCraft.Sources.Sentry;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Grouping;

/// <summary>Builds realistic repeats of a fixture: a fresh event id (re-signed), as Sentry sends for a new occurrence.</summary>
public static class NoisyAlerts
{
    public static FixtureRequest WithEventId(FixtureRequest fixture, string newEventId)
    {
        using var doc = JsonDocument.Parse(fixture.Body);
        var oldId = doc.RootElement.GetProperty("data").GetProperty("event").GetProperty("event_id").GetString()!;
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(fixture.Body).Replace(oldId, newEventId, StringComparison.Ordinal));
        var headers = new Dictionary<string, string>(fixture.Headers.ToDictionary(), StringComparer.OrdinalIgnoreCase)
        {
            ["Sentry-Hook-Signature"] = SentrySignatureVerifier.Sign(body, SentryFixture.ClientSecret),
            ["Request-ID"] = Guid.NewGuid().ToString("N"),
        };
        return new FixtureRequest(fixture.Name, headers, body);
    }

    public static string NewEventId(int seed) => Convert.ToHexStringLower(Guid.CreateVersion7().ToByteArray())[..24] + seed.ToString("x8");
}

using System.Text;
using SignalCraft.Sources.Sentry;

namespace SignalCraft.Tests.Sources.Sentry;

public sealed class SentrySignatureVerifierTests
{
    public static TheoryData<string> SignedFixtures => new(SentryFixture.Names.Where(n => !n.StartsWith("legacy", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(SignedFixtures))]
    public void IsValid_FixtureBytes_AcceptsTheirSignature(string name)
    {
        var fixture = SentryFixture.Load(name);
        Assert.True(SentrySignatureVerifier.IsValid(fixture.Body, fixture.Header("Sentry-Hook-Signature"), SentryFixture.ClientSecret));
    }

    [Fact]
    public void IsValid_CompactWireBodyReserialised_Rejects()
    {
        // Re-serialising changes the \u escapes; only the raw bytes verify.
        var fixture = SentryFixture.Load("event_alert.info.production.wire-compact");
        var reserialised = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            System.Text.Json.JsonDocument.Parse(fixture.Body).RootElement);
        Assert.NotEqual(fixture.Body, reserialised);
        Assert.False(SentrySignatureVerifier.IsValid(reserialised, fixture.Header("Sentry-Hook-Signature"), SentryFixture.ClientSecret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-hex")]
    [InlineData("0f18bc35ab3954285dfcf4fef71a6fd5b0855962505058c49ba7667cde0a8360")]
    public void IsValid_MissingOrWrongSignature_Rejects(string? signature)
    {
        var fixture = SentryFixture.Load("event_alert.error.production");
        Assert.False(SentrySignatureVerifier.IsValid(fixture.Body, signature, SentryFixture.ClientSecret));
    }

    [Fact]
    public void IsValid_TamperedBodyOrOtherSecret_Rejects()
    {
        var fixture = SentryFixture.Load("event_alert.error.production");
        var tampered = (byte[])fixture.Body.Clone();
        tampered[^5] ^= 1;
        Assert.False(SentrySignatureVerifier.IsValid(tampered, fixture.Header("Sentry-Hook-Signature"), SentryFixture.ClientSecret));
        Assert.False(SentrySignatureVerifier.IsValid(fixture.Body, fixture.Header("Sentry-Hook-Signature"), "another-secret"));
    }

    [Fact]
    public void Sign_ThenIsValid_RoundTrips()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");
        Assert.True(SentrySignatureVerifier.IsValid(body, SentrySignatureVerifier.Sign(body, "s"), "s"));
    }
}

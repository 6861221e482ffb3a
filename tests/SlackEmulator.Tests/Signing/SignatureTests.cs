using System.Text;
using SlackEmulator.Signing;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Signing;

/// <summary>The emulator's signer against Slack's official test vector and an independent verifier.</summary>
public sealed class SignatureTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Vector = Fixtures.Json("signing.official-vector.json");
    private static string Secret => Vector["signing_secret"]!.GetValue<string>();
    private static string Timestamp => Vector["x_slack_request_timestamp"]!.GetValue<string>();
    private static byte[] Body => Encoding.UTF8.GetBytes(Vector["body"]!.GetValue<string>());
    private static string Expected => Vector["x_slack_signature"]!.GetValue<string>();

    [Fact]
    public void Compute_OfficialVector_MatchesSlackSignature()
    {
        Assert.Equal(Expected, SlackSignature.Compute(Secret, long.Parse(Timestamp), Body));
    }

    [Fact]
    public void Compute_BlockActionsFixture_MatchesLocallyComputedSignature()
    {
        var fixture = Fixtures.Json("block_actions.ack.signature.json");
        var body = File.ReadAllBytes(Fixtures.Path("block_actions.ack.form-body.txt"));

        var signature = SlackSignature.Compute(fixture["signing_secret"]!.GetValue<string>(), long.Parse(fixture["x_slack_request_timestamp"]!.GetValue<string>()), body);

        Assert.Equal(fixture["x_slack_signature"]!.GetValue<string>(), signature);
    }

    [Fact]
    public void ReferenceVerifier_OfficialVectorAtItsTime_IsValid()
    {
        Assert.True(ReferenceVerifier.IsValid(Secret, Timestamp, Expected, Body, Vector["verifier_clock_now_for_valid_case"]!.GetValue<long>()));
    }

    [Fact]
    public void ReferenceVerifier_BodyWithExtraBytes_IsRejected()
    {
        var tampered = Body.Concat("------"u8.ToArray()).ToArray();

        Assert.False(ReferenceVerifier.IsValid(Secret, Timestamp, Expected, tampered, long.Parse(Timestamp)));
    }

    [Fact]
    public void ReferenceVerifier_ClockMoreThanFiveMinutesAway_IsRejected()
    {
        Assert.False(ReferenceVerifier.IsValid(Secret, Timestamp, Expected, Body, long.Parse(Timestamp) + 301));
    }

    [Fact]
    public void ReferenceVerifier_DifferentTimestampHeader_IsRejected()
    {
        var other = (long.Parse(Timestamp) + 1).ToString();

        Assert.False(ReferenceVerifier.IsValid(Secret, other, Expected, Body, long.Parse(Timestamp)));
    }

    [Fact]
    public void ReferenceVerifier_MissingHeader_IsRejected()
    {
        Assert.False(ReferenceVerifier.IsValid(Secret, Timestamp, null, Body, long.Parse(Timestamp)));
    }
}

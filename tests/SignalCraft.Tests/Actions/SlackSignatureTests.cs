using System.Text;
using System.Text.Json;
using SignalCraft.Actions;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Actions;

public sealed class SlackSignatureTests
{
    private static readonly JsonElement Official = JsonSerializer.Deserialize<JsonElement>(
        File.ReadAllText(Path.Combine(Fixtures.Folder("slack"), "signing.official-vector.json")));

    private static string Secret => Official.GetProperty("signing_secret").GetString()!;
    private static string Timestamp => Official.GetProperty("x_slack_request_timestamp").GetString()!;
    private static byte[] Body => Encoding.UTF8.GetBytes(Official.GetProperty("body").GetString()!);
    private static string Signature => Official.GetProperty("x_slack_signature").GetString()!;
    private static DateTimeOffset Then => DateTimeOffset.FromUnixTimeSeconds(Official.GetProperty("verifier_clock_now_for_valid_case").GetInt64());

    [Fact]
    public void Verify_SlacksOfficialVector_Valid()
    {
        Assert.Equal(Signature, SlackSignature.Sign(Secret, Timestamp, Body));
        Assert.True(SlackSignature.Verify(Secret, Timestamp, Signature, Body, Then));
    }

    [Fact]
    public void Verify_BlockActionsFixture_Valid()
    {
        var vector = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(Fixtures.Folder("slack"), "block_actions.ack.signature.json")));
        var body = File.ReadAllBytes(Path.Combine(Fixtures.Folder("slack"), "block_actions.ack.form-body.txt"));
        var ts = vector.GetProperty("x_slack_request_timestamp").GetString()!;
        Assert.True(SlackSignature.Verify(vector.GetProperty("signing_secret").GetString(), ts, vector.GetProperty("x_slack_signature").GetString(),
            body, DateTimeOffset.FromUnixTimeSeconds(long.Parse(ts))));
    }

    [Fact]
    public void Verify_TamperedBody_Invalid() =>
        Assert.False(SlackSignature.Verify(Secret, Timestamp, Signature, [.. Body, .. "------"u8.ToArray()], Then));

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void Verify_TimestampMoreThanFiveMinutesAway_Invalid(int seconds) =>
        Assert.False(SlackSignature.Verify(Secret, Timestamp, Signature, Body, Then.AddSeconds(seconds)));

    [Fact]
    public void Verify_WithinFiveMinutes_Valid() => Assert.True(SlackSignature.Verify(Secret, Timestamp, Signature, Body, Then.AddSeconds(299)));

    [Theory]
    [InlineData(null, "sig")]
    [InlineData("ts", null)]
    [InlineData("ts", "")]
    public void Verify_MissingHeader_Invalid(string? timestamp, string? signature) =>
        Assert.False(SlackSignature.Verify(Secret, timestamp == "ts" ? Timestamp : timestamp, signature == "sig" ? Signature : signature, Body, Then));

    [Theory]
    [InlineData("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b504")]
    [InlineData("a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    public void Verify_WrongVersionOrDigest_Invalid(string signature) =>
        Assert.False(SlackSignature.Verify(Secret, Timestamp, signature, Body, Then));

    [Fact]
    public void Verify_NoSigningSecretConfigured_Invalid() => Assert.False(SlackSignature.Verify(null, Timestamp, Signature, Body, Then));
}

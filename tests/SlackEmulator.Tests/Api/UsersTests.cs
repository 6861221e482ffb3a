using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Api;

/// <summary>users.info and users.lookupByEmail.</summary>
public sealed class UsersTests(EmulatorHost host) : EmulatorTest(host)
{
    [Fact]
    public async Task UsersInfo_KnownUser_ReturnsNameAndEmail()
    {
        var (_, body) = await Emulator.ApiFormAsync("users.info", Token, new Dictionary<string, string> { ["user"] = W.AliceId });

        Assert.Equal("alice", Str(body["user"]!["name"]));
        Assert.Equal("Alice Example", Str(body["user"]!["real_name"]));
        Assert.Equal("alice@example.com", Str(body["user"]!["profile"]!["email"]));
    }

    [Fact]
    public async Task UsersInfo_WithoutEmailScope_OmitsEmail()
    {
        var token = await Emulator.InstallAsync(W.TeamId, ["users:read"]);

        var (_, body) = await Emulator.ApiFormAsync("users.info", token, new Dictionary<string, string> { ["user"] = W.AliceId });

        Assert.True(body["ok"]!.GetValue<bool>());
        Assert.Null(body["user"]!["profile"]!["email"]);
    }

    [Fact]
    public async Task UsersInfo_UnknownUser_ReturnsUserNotFound()
    {
        var (_, body) = await Emulator.ApiFormAsync("users.info", Token, new Dictionary<string, string> { ["user"] = "U0NOBODY" });

        Assert.Equal("user_not_found", Str(body["error"]));
    }

    [Fact]
    public async Task LookupByEmail_KnownEmailAnyCase_ReturnsUser()
    {
        var (_, body) = await Emulator.ApiFormAsync("users.lookupByEmail", Token, new Dictionary<string, string> { ["email"] = "Bob@Example.com" });

        Assert.Equal(W.BobId, Str(body["user"]!["id"]));
    }

    [Fact]
    public async Task LookupByEmail_UnknownEmail_ReturnsUsersNotFound()
    {
        var (_, body) = await Emulator.ApiFormAsync("users.lookupByEmail", Token, new Dictionary<string, string> { ["email"] = "nobody@example.com" });

        Assert.Equal("users_not_found", Str(body["error"]));
    }

    [Fact]
    public async Task LookupByEmail_WithoutEmailScope_ReturnsMissingScope()
    {
        var token = await Emulator.InstallAsync(W.TeamId, ["users:read"]);

        var (_, body) = await Emulator.ApiFormAsync("users.lookupByEmail", token, new Dictionary<string, string> { ["email"] = "bob@example.com" });

        Assert.Equal("missing_scope", Str(body["error"]));
        Assert.Equal("users:read.email", Str(body["needed"]));
        Assert.Equal("users:read", Str(body["provided"]));
    }
}

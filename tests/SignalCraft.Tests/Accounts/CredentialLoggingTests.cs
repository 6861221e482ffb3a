using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Accounts;

/// <summary>Invite tokens, reset tokens and API tokens are credentials: no log at Information or above shows them.</summary>
public sealed class CredentialLoggingTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CredentialRoutes_InformationLogs_ShowRouteTemplatesNeverTokens(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        // An operator turning request logging up as far as it goes at Information, including the hosting category
        // whose request lines would carry raw paths.
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        });
        var anonymous = app.Start();
        var collector = new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions()));
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(new FakeLoggerProvider(collector));

        var owner = await app.RegisterAsync("owner@example.com");
        var other = await app.RegisterAsync("other@example.com");
        var inviteToken = TestUser.TokenOf(await owner.InviteAsync("other@example.com", WorkspaceRole.Member));
        await (await other.Client.PostAsync($"/api/invites/{inviteToken}/accept?again={inviteToken}", null)).AssertStatusAsync(HttpStatusCode.OK);
        await (await other.Client.PostAsync($"/api/invites/{inviteToken}/accept", null)).AssertProblemAsync(HttpStatusCode.Gone);
        await anonymous.GetAsync($"/invites/{inviteToken}"); // the web page path of the link

        var member = await owner.InviteAndJoinAsync(WorkspaceRole.Member);
        var link = await owner.Client.PostAsync($"/api/members/{member.UserId}/reset-link", null);
        var resetToken = TestUser.TokenOf((await link.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resetUrl").GetString()!);
        await (await anonymous.PostAsJsonAsync("/api/auth/reset-password", new { token = resetToken, newPassword = "a brand new passphrase" }))
            .AssertStatusAsync(HttpStatusCode.OK);
        await anonymous.GetAsync($"/reset-password/{resetToken}");
        await anonymous.GetAsync($"/no-such-page/{resetToken}"); // no endpoint: still no raw path

        var created = await owner.Client.PostAsJsonAsync("/api/tokens", new { name = "ci" });
        var createdToken = await created.Content.ReadFromJsonAsync<JsonElement>();
        var apiToken = createdToken.GetProperty("token").GetString()!;
        using var script = app.CreateBearerClient(apiToken);
        await script.GetAsync("/api/members");
        await (await owner.Client.DeleteAsync($"/api/tokens/{createdToken.GetProperty("id")}"))
            .AssertStatusAsync(HttpStatusCode.NoContent);
        await (await script.GetAsync("/api/members")).AssertStatusAsync(HttpStatusCode.Unauthorized);

        var records = collector.GetSnapshot().Where(r => r.Level >= LogLevel.Information).ToList();
        var text = records.Select(r => string.Join(" | ", new[] { r.Category, r.Message }
            .Concat(r.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? [])
            .Concat(r.Scopes.Select(s => s is IEnumerable<KeyValuePair<string, object?>> kvs
                ? string.Join(",", kvs.Select(kv => $"{kv.Key}={kv.Value}")) : s?.ToString())))).ToList();

        foreach (var secret in new[] { inviteToken, resetToken, apiToken, apiToken[3..] })
        {
            Assert.DoesNotContain(text, line => line.Contains(secret, StringComparison.Ordinal));
        }
        // Requests are still logged, by route template.
        Assert.Contains(text, line => line.Contains("Route=/api/invites/{token}/accept", StringComparison.Ordinal)
            && line.Contains("StatusCode=410", StringComparison.Ordinal));
        Assert.Contains(text, line => line.Contains("Route=/api/auth/reset-password", StringComparison.Ordinal));
        Assert.Contains(text, line => line.Contains("Route=(no endpoint)", StringComparison.Ordinal));
        // The web pages of the links are logged by their templates too.
        Assert.Contains(text, line => line.Contains("Route=/invites/{Token}", StringComparison.Ordinal));
        Assert.Contains(text, line => line.Contains("Route=/reset-password/{Token}", StringComparison.Ordinal));
    }
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SlackOAuthCallback_InformationLogs_ShowNoCodeStateOrToken(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            ["Logging:LogLevel:System.Net.Http"] = "Information",
        });
        await using var slack = new SlackEmulatorHost(app.Clock);
        app.Configure(slack.AppSettings());
        app.Start();
        var collector = new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions()));
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(new FakeLoggerProvider(collector));
        var owner = await app.RegisterAsync("owner@example.com");

        var callback = await Notify.Slack.SlackTestKit.AuthorizeAsync(await Notify.Slack.SlackTestKit.StartConnectAsync(owner));
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(callback)).StatusCode);
        await (await browser.GetAsync(callback)).AssertProblemAsync(HttpStatusCode.BadRequest); // a replay is refused, and logged
        await owner.Client.GetAsync("/api/integrations/slack/channels"); // a Web API call with the stored token

        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        var records = collector.GetSnapshot().Where(r => r.Level >= LogLevel.Information).ToList();
        var text = records.Select(r => string.Join(" | ", new[] { r.Category, r.Message, r.Exception?.ToString() }
            .Concat(r.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? []))).ToList();
        foreach (var secret in new[] { query["code"]!, query["state"]!, "xoxb-", "xoxe", SlackEmulatorHost.ClientSecret })
        {
            Assert.DoesNotContain(text, line => line.Contains(secret, StringComparison.Ordinal));
        }
        Assert.Contains(text, line => line.Contains("Route=/integrations/slack/callback", StringComparison.Ordinal)
            && line.Contains("StatusCode=400", StringComparison.Ordinal));
    }
}

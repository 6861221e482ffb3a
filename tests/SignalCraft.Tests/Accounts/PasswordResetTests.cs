using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Accounts;

public sealed class PasswordResetTests
{
    private const string NewPassword = "a brand new passphrase";

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ResetLink_IssuedByAdmin_SetsTheNewPasswordOnce(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var anonymous = app.Start();
        var owner = await app.RegisterAsync("owner@example.com");
        var member = await owner.InviteAndJoinAsync(WorkspaceRole.Member, "forgetful@example.com");

        var issue = await owner.Client.PostAsync($"/api/members/{member.UserId}/reset-link", null);
        await issue.AssertStatusAsync(HttpStatusCode.OK);
        var resetUrl = (await issue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resetUrl").GetString()!;
        Assert.StartsWith(anonymous.BaseAddress!.ToString().TrimEnd('/') + "/reset-password/", resetUrl);
        var token = TestUser.TokenOf(resetUrl);

        var weak = await anonymous.PostAsJsonAsync("/api/auth/reset-password", new { token, newPassword = "short" });
        Assert.True((await weak.AssertValidationProblemAsync()).TryGetProperty("newPassword", out _));
        // A refused password does not spend the link.
        var reset = await anonymous.PostAsJsonAsync("/api/auth/reset-password", new { token, newPassword = NewPassword });
        await reset.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("forgetful@example.com", (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());

        await anonymous.LoginAsync("forgetful@example.com", NewPassword);
        await (await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "forgetful@example.com", password = TestAccounts.Password }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
        // Refresh tokens issued before the reset are refused (new security stamp).
        await (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = member.RefreshToken }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);

        var again = await anonymous.PostAsJsonAsync("/api/auth/reset-password", new { token, newPassword = "yet another passphrase" });
        Assert.Contains("already used", await again.AssertProblemAsync(HttpStatusCode.Gone));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ResetLink_AfterADay_Returns410(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var anonymous = app.Start();
        var owner = await app.RegisterAsync("owner@example.com");
        var member = await owner.InviteAndJoinAsync(WorkspaceRole.Member);
        var issue = await owner.Client.PostAsync($"/api/members/{member.UserId}/reset-link", null);
        var token = TestUser.TokenOf((await issue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resetUrl").GetString()!);

        app.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        var reset = await anonymous.PostAsJsonAsync("/api/auth/reset-password", new { token, newPassword = NewPassword });
        Assert.Contains("expired", await reset.AssertProblemAsync(HttpStatusCode.Gone));
        await anonymous.LoginAsync(member.Email); // the old password still works
        await (await anonymous.PostAsJsonAsync("/api/auth/reset-password", new { token = "made-up", newPassword = NewPassword }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ResetLink_ForAnOwnerOrSomeoneInOtherWorkspaces_IsRefused(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com");
        var admin = await owner.InviteAndJoinAsync(WorkspaceRole.Admin);

        var forOwner = await admin.Client.PostAsync($"/api/members/{owner.UserId}/reset-link", null);
        Assert.Contains("Only an owner", await forOwner.AssertProblemAsync(HttpStatusCode.Forbidden));

        // The admin also owns a workspace of their own: a link from this workspace would take over that one too.
        await (await admin.Client.PostAsJsonAsync("/api/workspaces", new { name = "Admin's side project" })).AssertStatusAsync(HttpStatusCode.Created);
        var elsewhere = await owner.Client.PostAsync($"/api/members/{admin.UserId}/reset-link", null);
        Assert.Contains("reset-password command", await elsewhere.AssertProblemAsync(HttpStatusCode.Conflict));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ResetPasswordCommand_KnownEmail_PrintsAWorkingLink(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var anonymous = app.Start();
        await app.RegisterAsync("owner@example.com");

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await ResetPasswordCommand.RunAsync(app.Services, ["owner@example.com"], output, error, default));
        var url = output.ToString().Split('\n').Single(l => l.Contains("/reset-password/", StringComparison.Ordinal)).Trim();

        await (await anonymous.PostAsJsonAsync("/api/auth/reset-password", new { token = TestUser.TokenOf(url), newPassword = NewPassword }))
            .AssertStatusAsync(HttpStatusCode.OK);
        await anonymous.LoginAsync("owner@example.com", NewPassword);

        Assert.Equal(1, await ResetPasswordCommand.RunAsync(app.Services, ["nobody@example.com"], output, error, default));
        Assert.Equal(2, await ResetPasswordCommand.RunAsync(app.Services, [], output, error, default));
        Assert.Contains("No account with the email nobody@example.com", error.ToString());
    }

    [Fact]
    public async Task ResetPasswordCommand_RunAsTheApp_PrintsALinkOnThePublicUrl()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        var anonymous = app.Start();
        await app.RegisterAsync("owner@example.com");

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = db.Folder!,
            Environment =
            {
                ["Database__Provider"] = "Sqlite",
                ["ConnectionStrings__Sqlite"] = db.ConnectionString,
                ["Secrets__MasterKey"] = SignalCraftApp.TestMasterKey,
                ["App__PublicBaseUrl"] = "https://alerts.example.com",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SignalCraft.dll"));
        start.ArgumentList.Add("reset-password");
        start.ArgumentList.Add("owner@example.com");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stdout} {await stderr}");
        var url = (await stdout).Split('\n').Single(l => l.StartsWith("https://alerts.example.com/reset-password/", StringComparison.Ordinal)).Trim();
        await (await anonymous.PostAsJsonAsync("/api/auth/reset-password", new { token = TestUser.TokenOf(url), newPassword = NewPassword }))
            .AssertStatusAsync(HttpStatusCode.OK);
        await anonymous.LoginAsync("owner@example.com", NewPassword);
    }
}

using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Hosting;
using SignalCraft.Notify.Slack;

namespace SignalCraft.Integrations.Slack;

/// <summary>
/// The first step of connecting Slack (OAuth v2), for the API and the Integrations page: a single-use state bound to
/// the person and workspace, and Slack's authorize URL carrying it. The callback in <see cref="SlackConnectEndpoints"/>
/// does the rest.
/// </summary>
public sealed class SlackConnectStarter(SignalCraftDbContext db, CurrentWorkspace workspace, IOptions<SlackOptions> options, PublicUrls urls,
    TimeProvider time)
{
    private static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Set when SignalCraft has the Slack app's client id and secret.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.ClientId) && !string.IsNullOrWhiteSpace(options.Value.ClientSecret);

    public const string NotConfigured =
        "Set Slack__ClientId and Slack__ClientSecret (from your Slack app's Basic Information page) and restart SignalCraft.";

    /// <summary>The authorize URL to send the browser to; null when Slack is not configured (<see cref="NotConfigured"/>).</summary>
    public async Task<string?> StartAsync(CancellationToken ct)
    {
        if (!IsConfigured)
        {
            return null;
        }
        var o = options.Value;
        var state = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        db.Add(new SlackOAuthState
        {
            WorkspaceId = workspace.WorkspaceId,
            UserId = workspace.UserId ?? $"token:{workspace.ApiTokenId}",
            StateHash = SlackConnectEndpoints.Hash(state),
            CreatedAt = now,
            ExpiresAt = now + StateLifetime,
        });
        await db.SaveChangesAsync(ct);
        return QueryHelpers.AddQueryString(o.AuthorizeUrl, new Dictionary<string, string?>
        {
            ["client_id"] = o.ClientId,
            ["scope"] = string.Join(',', SlackOptions.BotScopes),
            ["redirect_uri"] = urls.For(SlackConnectEndpoints.CallbackPath),
            ["state"] = state,
        });
    }
}

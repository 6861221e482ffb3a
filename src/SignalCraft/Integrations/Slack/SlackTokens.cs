using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Notify.Slack;
using SignalCraft.Secrets;

namespace SignalCraft.Integrations.Slack;

/// <summary>
/// Hands out a connection's bot token, refreshing a rotating token (<c>expires_in</c>, refresh token) when less than two
/// hours remain or Slack said <c>token_expired</c>, and keeps the connection's health: a token Slack refuses turns it
/// unhealthy with the reason.
/// </summary>
public sealed class SlackTokens(SignalCraftDbContext db, SecretProtector secrets, SlackApiClient slack, TimeProvider time)
{
    internal const string TokenPurpose = "slack-bot-token";
    internal const string RefreshPurpose = "slack-refresh-token";
    private static readonly ConcurrentDictionary<long, SemaphoreSlim> RefreshLocks = new();

    /// <summary>The token to call Slack with, or null when it cannot be had (the connection is then unhealthy).</summary>
    public async Task<string?> GetAsync(SlackConnection connection, bool forceRefresh, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rotating = connection.RefreshTokenProtected is not null;
        var dueSoon = connection.TokenExpiresAt is { } expires && expires - now <= TimeSpan.FromHours(2);
        if (!rotating)
        {
            return forceRefresh ? null : secrets.Unprotect(TokenPurpose, connection.TokenProtected);
        }
        if (!forceRefresh && !dueSoon)
        {
            return secrets.Unprotect(TokenPurpose, connection.TokenProtected);
        }
        var gate = RefreshLocks.GetOrAdd(connection.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var before = connection.TokenProtected;
            await db.Entry(connection).ReloadAsync(ct);
            if (connection.TokenProtected != before)
            {
                return secrets.Unprotect(TokenPurpose, connection.TokenProtected); // refreshed meanwhile
            }
            var call = await slack.OAuthAccessAsync(
            [
                new("grant_type", "refresh_token"),
                new("refresh_token", secrets.Unprotect(RefreshPurpose, connection.RefreshTokenProtected!)),
            ], ct);
            if (!call.Ok)
            {
                await MarkAsync(connection, SlackConnectionStatus.Unhealthy, $"token refresh failed ({call.Describe()}): reconnect Slack", ct);
                return null;
            }
            Store(connection, call, now);
            await db.SaveChangesAsync(ct);
            return call.String("access_token");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Writes the token pair of an <c>oauth.v2.access</c> answer (install or refresh), encrypted.</summary>
    public void Store(SlackConnection connection, SlackCall access, DateTime now)
    {
        connection.TokenProtected = secrets.Protect(TokenPurpose, access.String("access_token")!);
        var refresh = access.String("refresh_token");
        connection.RefreshTokenProtected = refresh is null ? null : secrets.Protect(RefreshPurpose, refresh);
        connection.TokenExpiresAt = access.Body.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt32(out var seconds)
            ? now.AddSeconds(seconds) : null;
        connection.UpdatedAt = now;
    }

    /// <summary>Records the connection's health (shown in <c>GET /api/integrations</c>).</summary>
    public async Task MarkAsync(SlackConnection connection, string status, string? error, CancellationToken ct)
    {
        if (connection.Status == status && (error is null || connection.LastError == error))
        {
            return;
        }
        var now = time.GetUtcNow().UtcDateTime;
        connection.Status = status;
        if (error is not null)
        {
            connection.LastError = error;
            connection.LastErrorAt = now;
        }
        connection.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The connection of a target, read without the request's workspace filter (jobs have none).</summary>
    public Task<SlackConnection?> FindAsync(long? id, CancellationToken ct) =>
        id is null ? Task.FromResult<SlackConnection?>(null) : db.Set<SlackConnection>().IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == id, ct);
}

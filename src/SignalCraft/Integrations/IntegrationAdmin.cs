using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Hosting;
using SignalCraft.Secrets;
using SignalCraft.Sources.Sentry;

namespace SignalCraft.Integrations;

/// <summary>
/// Source integrations as admins manage them, for the API and the Integrations page alike: create (with its
/// validation), describe (webhook URL, 24 h counts per reason, never the client secret), set the client secret
/// (stored encrypted). Runs under the request's workspace filter.
/// </summary>
public sealed class IntegrationAdmin(SignalCraftDbContext db, CurrentWorkspace workspace, PublicUrls urls, SecretProtector secrets,
    WebhookCounters counters, TimeProvider time, IHostEnvironment environment, Health.Heartbeats.HeartbeatChecks heartbeats)
{
    internal const string KeyPurpose = "integration-key";

    /// <summary>The workspace's source integrations, oldest first, with counts that include the last second's webhooks.</summary>
    public async Task<List<IntegrationDto>> ListAsync(CancellationToken ct)
    {
        await counters.FlushAsync(ct);
        var rows = await db.Set<Integration>().AsNoTracking().OrderBy(i => i.Id).ToListAsync(ct);
        var list = new List<IntegrationDto>();
        foreach (var row in rows)
        {
            list.Add(await DescribeAsync(row, ct));
        }
        return list;
    }

    public async Task<IntegrationDto?> GetAsync(long id, CancellationToken ct)
    {
        await counters.FlushAsync(ct);
        var row = await db.Set<Integration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        return row is null ? null : await DescribeAsync(row, ct);
    }

    /// <summary>Creates an integration, or answers the problems with the request (nothing is stored then).</summary>
    public async Task<(IntegrationDto? Created, Dictionary<string, string[]> Errors)> CreateAsync(CreateIntegrationRequest request, CancellationToken ct)
    {
        var mode = request.Mode ?? "signed";
        var errors = new Dictionary<string, string[]>();
        if (request.Type != "sentry")
        {
            errors["type"] = ["Supported types: sentry."];
        }
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
        {
            errors["name"] = ["Give the integration a name of 1 to 200 characters."];
        }
        if (mode is not ("signed" or "legacy"))
        {
            errors["mode"] = ["Use signed (Sentry internal integration, HMAC-verified) or legacy (the WebHooks plugin)."];
        }
        if (request.Key is { } explicitKey && (explicitKey.Length < (environment.IsDevelopment() ? 8 : IntegrationKeys.MinimumExplicitLength)
            || !explicitKey.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            errors["key"] = [$"An explicit key needs at least {IntegrationKeys.MinimumExplicitLength} URL-safe characters (letters, digits, - and _)."];
        }
        if (request.ExpectedIntervalMinutes is < 1 or > 10_080)
        {
            errors["expectedIntervalMinutes"] = ["Use 1 to 10080 minutes."];
        }
        var key = request.Key ?? IntegrationKeys.NewKey();
        if (errors.Count == 0 && await db.Set<Integration>().IgnoreQueryFilters().AnyAsync(i => i.KeyHash == IntegrationKeys.Hash(key), ct))
        {
            errors["key"] = ["This key is already in use; choose another or let SignalCraft generate one."];
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var row = new Integration
        {
            WorkspaceId = workspace.WorkspaceId,
            Type = request.Type,
            Name = request.Name.Trim(),
            Mode = mode,
            KeyHash = IntegrationKeys.Hash(key),
            KeyProtected = secrets.Protect(KeyPurpose, key),
            ClientSecretProtected = string.IsNullOrWhiteSpace(request.ClientSecret) ? null
                : secrets.Protect(SentryWebhookHandler.ClientSecretPurpose, request.ClientSecret.Trim()),
            ExpectedIntervalMinutes = request.ExpectedIntervalMinutes,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Add(row);
        if (row.ExpectedIntervalMinutes is not null)
        {
            await heartbeats.ArmAsync(ct); // committed with the integration
        }
        await db.SaveChangesAsync(ct);
        return (await DescribeAsync(row, ct), errors);
    }

    /// <summary>Stores (encrypted) or, with an empty value, clears the client secret. False: no such integration here.</summary>
    public async Task<bool> SetClientSecretAsync(long id, string clientSecret, CancellationToken ct)
    {
        var row = await db.Set<Integration>().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (row is null)
        {
            return false;
        }
        row.ClientSecretProtected = clientSecret.Trim().Length == 0 ? null
            : secrets.Protect(SentryWebhookHandler.ClientSecretPurpose, clientSecret.Trim());
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<IntegrationDto> DescribeAsync(Integration row, CancellationToken ct)
    {
        var since = time.GetUtcNow().UtcDateTime.AddHours(-24);
        var counts = await db.Set<WebhookOutcome>().AsNoTracking().Where(o => o.IntegrationId == row.Id && o.Minute >= since)
            .GroupBy(o => o.Reason).Select(g => new ReasonCount(g.Key, g.Sum(o => o.Count))).ToListAsync(ct);
        var quarantined = await db.Set<QuarantinedBody>().CountAsync(q => q.IntegrationId == row.Id, ct);
        return new IntegrationDto(row.Id, row.Type, row.Name, row.Mode, WebhookUrl(row), row.Enabled,
            row.ClientSecretProtected is not null, row.ExpectedIntervalMinutes, row.CreatedAt, row.LastWebhookAt, row.LastRejectionAt,
            row.LastRejectionReason, row.QuarantineDropped, quarantined,
            counts.Where(c => WebhookReasons.IsAccepted(c.Reason)).OrderBy(c => c.Reason).ToList(),
            counts.Where(c => !WebhookReasons.IsAccepted(c.Reason)).OrderBy(c => c.Reason).ToList());
    }

    /// <summary>The URL Sentry posts to (a credential: show it to admins only).</summary>
    public string WebhookUrl(Integration row) => urls.For($"/webhooks/{row.Type}/{secrets.Unprotect(KeyPurpose, row.KeyProtected)}");
}

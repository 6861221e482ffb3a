using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Hosting;
using SignalCraft.Secrets;
using SignalCraft.Sources.Sentry;

namespace SignalCraft.Integrations;

/// <summary>Source integrations (Sentry): create, list with health counters, update, rotate the URL key.</summary>
public static class IntegrationsEndpoints
{
    internal const string KeyPurpose = "integration-key";

    public static RouteGroupBuilder MapIntegrationsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/integrations").WithTags("Integrations").RequireWorkspace(AccountsPolicies.Admin);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapPost("/", CreateAsync);
        group.MapPatch("/{id:long}", UpdateAsync);
        group.MapPost("/{id:long}/rotate-key", RotateKeyAsync);
        group.MapGet("/{id:long}/quarantine", QuarantineAsync);
        return group;
    }

    private static async Task<Ok<List<IntegrationDto>>> ListAsync(SignalCraftDbContext db, WebhookCounters counters, PublicUrls urls,
        SecretProtector secrets, TimeProvider time, CancellationToken ct)
    {
        await counters.FlushAsync(ct);
        var rows = await db.Set<Integration>().AsNoTracking().OrderBy(i => i.Id).ToListAsync(ct);
        var list = new List<IntegrationDto>();
        foreach (var row in rows)
        {
            list.Add(await DescribeAsync(db, row, urls, secrets, time, ct));
        }
        list.AddRange(await Slack.SlackConnectionQueries.ListAsync(db, ct));
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<IntegrationDto>, NotFound>> GetAsync(long id, SignalCraftDbContext db, WebhookCounters counters,
        PublicUrls urls, SecretProtector secrets, TimeProvider time, CancellationToken ct)
    {
        await counters.FlushAsync(ct);
        var row = await db.Set<Integration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(await DescribeAsync(db, row, urls, secrets, time, ct));
    }

    private static async Task<Results<Created<IntegrationDto>, ValidationProblem>> CreateAsync(CreateIntegrationRequest request,
        SignalCraftDbContext db, CurrentWorkspace workspace, PublicUrls urls, SecretProtector secrets, TimeProvider time,
        IHostEnvironment environment, Health.Heartbeats.HeartbeatChecks heartbeats, CancellationToken ct)
    {
        var mode = request.Mode ?? "signed";
        var errors = new Dictionary<string, string[]>();
        if (request.Type != "sentry")
        {
            errors["type"] = ["Supported types: sentry."];
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
            return TypedResults.ValidationProblem(errors);
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
        return TypedResults.Created($"/api/integrations/{row.Id}", await DescribeAsync(db, row, urls, secrets, time, ct));
    }

    private static async Task<Results<Ok<IntegrationDto>, NotFound, ValidationProblem>> UpdateAsync(long id, UpdateIntegrationRequest request,
        SignalCraftDbContext db, PublicUrls urls, SecretProtector secrets, TimeProvider time, Health.Heartbeats.HeartbeatChecks heartbeats,
        CancellationToken ct)
    {
        var row = await db.Set<Integration>().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (row is null)
        {
            return TypedResults.NotFound();
        }
        if (request.ExpectedIntervalMinutes is < 0 or > 10_080 || request.Name is { Length: 0 or > 200 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["request"] = ["name is 1 to 200 characters; expectedIntervalMinutes is 1 to 10080 (0 clears it)."],
            });
        }
        if (request.Name is not null)
        {
            row.Name = request.Name.Trim();
        }
        if (request.ClientSecret is not null)
        {
            row.ClientSecretProtected = request.ClientSecret.Length == 0 ? null
                : secrets.Protect(SentryWebhookHandler.ClientSecretPurpose, request.ClientSecret.Trim());
        }
        if (request.Enabled is { } enabled)
        {
            row.Enabled = enabled;
        }
        if (request.ExpectedIntervalMinutes is { } interval)
        {
            row.ExpectedIntervalMinutes = interval == 0 ? null : interval;
            if (row.ExpectedIntervalMinutes is not null)
            {
                await heartbeats.ArmAsync(ct); // committed with the change
            }
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await DescribeAsync(db, row, urls, secrets, time, ct));
    }

    private static async Task<Results<Ok<IntegrationDto>, NotFound>> RotateKeyAsync(long id, SignalCraftDbContext db, PublicUrls urls,
        SecretProtector secrets, TimeProvider time, CancellationToken ct)
    {
        var row = await db.Set<Integration>().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (row is null)
        {
            return TypedResults.NotFound();
        }
        var key = IntegrationKeys.NewKey();
        row.KeyHash = IntegrationKeys.Hash(key);
        row.KeyProtected = secrets.Protect(KeyPurpose, key);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await DescribeAsync(db, row, urls, secrets, time, ct));
    }

    private static async Task<Results<Ok<IReadOnlyList<QuarantinedBodyDto>>, NotFound>> QuarantineAsync(long id, SignalCraftDbContext db, CancellationToken ct)
    {
        var listing = await Quarantine.ListAsync(db, id, ct);
        return listing is null ? TypedResults.NotFound() : TypedResults.Ok(listing.Bodies);
    }

    private static async Task<IntegrationDto> DescribeAsync(SignalCraftDbContext db, Integration row, PublicUrls urls, SecretProtector secrets,
        TimeProvider time, CancellationToken ct)
    {
        var since = time.GetUtcNow().UtcDateTime.AddHours(-24);
        var counts = await db.Set<WebhookOutcome>().AsNoTracking().Where(o => o.IntegrationId == row.Id && o.Minute >= since)
            .GroupBy(o => o.Reason).Select(g => new ReasonCount(g.Key, g.Sum(o => o.Count))).ToListAsync(ct);
        var quarantined = await db.Set<QuarantinedBody>().CountAsync(q => q.IntegrationId == row.Id, ct);
        var key = secrets.Unprotect(KeyPurpose, row.KeyProtected);
        return new IntegrationDto(row.Id, row.Type, row.Name, row.Mode, urls.For($"/webhooks/{row.Type}/{key}"), row.Enabled,
            row.ClientSecretProtected is not null, row.ExpectedIntervalMinutes, row.CreatedAt, row.LastWebhookAt, row.LastRejectionAt,
            row.LastRejectionReason, row.QuarantineDropped, quarantined,
            counts.Where(c => WebhookReasons.IsAccepted(c.Reason)).OrderBy(c => c.Reason).ToList(),
            counts.Where(c => !WebhookReasons.IsAccepted(c.Reason)).OrderBy(c => c.Reason).ToList());
    }
}

public sealed record QuarantinedBodyDto(long Id, DateTime ReceivedAt, string Reason, string? Resource, int Size, string Body);

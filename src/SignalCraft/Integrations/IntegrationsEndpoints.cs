using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Secrets;
using SignalCraft.Sources.Sentry;

namespace SignalCraft.Integrations;

/// <summary>Source integrations (Sentry): create, list with health counters, update, rotate the URL key.</summary>
public static class IntegrationsEndpoints
{
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

    private static async Task<Ok<List<IntegrationDto>>> ListAsync(IntegrationAdmin admin, SignalCraftDbContext db, CancellationToken ct)
    {
        var list = await admin.ListAsync(ct);
        list.AddRange(await Slack.SlackConnectionQueries.ListAsync(db, ct));
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<IntegrationDto>, NotFound>> GetAsync(long id, IntegrationAdmin admin, CancellationToken ct) =>
        await admin.GetAsync(id, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    private static async Task<Results<Created<IntegrationDto>, ValidationProblem>> CreateAsync(CreateIntegrationRequest request,
        IntegrationAdmin admin, CancellationToken ct)
    {
        var (created, errors) = await admin.CreateAsync(request, ct);
        return created is null ? TypedResults.ValidationProblem(errors) : TypedResults.Created($"/api/integrations/{created.Id}", created);
    }

    private static async Task<Results<Ok<IntegrationDto>, NotFound, ValidationProblem>> UpdateAsync(long id, UpdateIntegrationRequest request,
        SignalCraftDbContext db, IntegrationAdmin admin, SecretProtector secrets, Health.Heartbeats.HeartbeatChecks heartbeats, CancellationToken ct)
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
        return TypedResults.Ok(await admin.DescribeAsync(row, ct));
    }

    private static async Task<Results<Ok<IntegrationDto>, NotFound>> RotateKeyAsync(long id, SignalCraftDbContext db, IntegrationAdmin admin,
        SecretProtector secrets, CancellationToken ct)
    {
        var row = await db.Set<Integration>().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (row is null)
        {
            return TypedResults.NotFound();
        }
        var key = IntegrationKeys.NewKey();
        row.KeyHash = IntegrationKeys.Hash(key);
        row.KeyProtected = secrets.Protect(IntegrationAdmin.KeyPurpose, key);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await admin.DescribeAsync(row, ct));
    }

    private static async Task<Results<Ok<IReadOnlyList<QuarantinedBodyDto>>, NotFound>> QuarantineAsync(long id, SignalCraftDbContext db, CancellationToken ct)
    {
        var listing = await Quarantine.ListAsync(db, id, ct);
        return listing is null ? TypedResults.NotFound() : TypedResults.Ok(listing.Bodies);
    }
}

public sealed record QuarantinedBodyDto(long Id, DateTime ReceivedAt, string Reason, string? Resource, int Size, string Body);

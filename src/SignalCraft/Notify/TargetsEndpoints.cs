using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Routing;
using SignalCraft.Secrets;

namespace SignalCraft.Notify;

/// <summary>The workspace's notification targets with their health; admins can read a webhook target's signing secret.</summary>
public static class TargetsEndpoints
{
    public static IEndpointRouteBuilder MapTargetsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notification-targets").WithTags("Notification targets").RequireWorkspace();
        group.MapGet("/", async (SignalCraftDbContext db, CancellationToken ct) =>
            (await db.Set<NotificationTarget>().AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct)).Select(TargetRegistry.Describe).ToList());
        // The receiver of an outgoing webhook needs the secret to check X-SignalCraft-Signature; it is shown to admins
        // on request, never in listings.
        group.MapPost("/{id:long}/signing-secret", async Task<Results<Ok<SigningSecret>, NotFound>> (long id, SignalCraftDbContext db,
            SecretProtector secrets, CancellationToken ct) =>
            await db.Set<NotificationTarget>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.SecretProtected != null, ct) is { } target
                ? TypedResults.Ok(new SigningSecret(secrets.Unprotect(TargetRegistry.SecretPurpose, target.SecretProtected!)))
                : TypedResults.NotFound()).RequireAuthorization(AccountsPolicies.Admin);
        return app;
    }
}

public sealed record SigningSecret(string Secret);

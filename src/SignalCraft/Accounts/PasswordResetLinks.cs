using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Data;
using SignalCraft.Hosting;

namespace SignalCraft.Accounts;

internal enum ResetOutcome
{
    Done,
    Unknown,
    Used,
    Expired,
    PasswordRejected,
}

/// <summary>
/// Single-use password reset links, issued by an admin (<c>POST /api/members/{userId}/reset-link</c>) or by the
/// <c>reset-password</c> command, for installations without email delivery.
/// </summary>
internal sealed class PasswordResetLinks(
    SignalCraftDbContext db, UserManager<SignalCraftUser> users, TimeProvider time, IOptions<AccountsOptions> options, PublicUrls urls)
{
    public async Task<(string Url, DateTime ExpiresAt)> IssueAsync(string userId, string createdBy, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var token = OpaqueTokens.NewToken();
        var link = new PasswordResetLink
        {
            UserId = userId, TokenHash = OpaqueTokens.Hash(token), CreatedAt = now,
            ExpiresAt = now + options.Value.ResetLinkLifetime, CreatedBy = createdBy,
        };
        db.Add(link);
        await db.SaveChangesAsync(ct);
        return (AccountLinks.Reset(urls, token), link.ExpiresAt);
    }

    /// <summary>
    /// Sets the new password and spends the link (and every other open link of the user) in one transaction; a
    /// rejected password leaves the link usable. Resetting also lifts a lockout and renews the security stamp, which
    /// ends cookie sessions and refresh tokens issued before.
    /// </summary>
    public async Task<(ResetOutcome Outcome, string? Email, IEnumerable<IdentityError> Errors)> RedeemAsync(
        string token, string newPassword, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hash = OpaqueTokens.Hash(token);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var link = await db.Set<PasswordResetLink>().AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash, ct);
        if (link is null)
        {
            return (ResetOutcome.Unknown, null, []);
        }
        if (link.UsedAt is not null)
        {
            return (ResetOutcome.Used, null, []);
        }
        if (link.ExpiresAt <= now)
        {
            return (ResetOutcome.Expired, null, []);
        }
        var claimed = await db.Set<PasswordResetLink>()
            .Where(l => l.UserId == link.UserId && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
        var user = await users.FindByIdAsync(link.UserId);
        if (claimed == 0 || user is null)
        {
            return (ResetOutcome.Used, null, []);
        }

        // Identity's own reset (password validators, hashing, new security stamp) with a token minted here: the
        // single-use link above is what proves the right to reset.
        var identityToken = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, identityToken, newPassword);
        if (!result.Succeeded)
        {
            await transaction.RollbackAsync(ct);
            return (ResetOutcome.PasswordRejected, null, result.Errors);
        }
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await transaction.CommitAsync(ct);
        return (ResetOutcome.Done, user.Email, []);
    }
}

using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

/// <summary>Creating, listing and deleting the current workspace's API tokens; the API and the web page both call it.</summary>
internal sealed class ApiTokenAdmin(SignalCraftDbContext db, CurrentWorkspace current, TimeProvider time)
{
    /// <summary>Creates a token; the answer is the only place the token itself ever appears.</summary>
    public async Task<CreateApiTokenResponse> CreateAsync(string name, CancellationToken ct)
    {
        var token = OpaqueTokens.NewApiToken();
        var row = new ApiToken
        {
            WorkspaceId = current.WorkspaceId, Name = name.Trim(), TokenHash = OpaqueTokens.Hash(token),
            Prefix = token[..7], CreatedAt = time.GetUtcNow().UtcDateTime, CreatedBy = current.DisplayName,
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreateApiTokenResponse(row.Id, row.Name, token, row.CreatedAt);
    }

    public Task<List<ApiTokenResponse>> ListAsync(CancellationToken ct) =>
        db.Set<ApiToken>().OrderBy(t => t.Id)
            .Select(t => new ApiTokenResponse(t.Id, t.Name, t.Prefix, t.CreatedAt, t.CreatedBy, t.LastUsedAt))
            .ToListAsync(ct);

    public async Task<bool> DeleteAsync(long id, CancellationToken ct) =>
        await db.Set<ApiToken>().Where(t => t.Id == id).ExecuteDeleteAsync(ct) > 0;
}

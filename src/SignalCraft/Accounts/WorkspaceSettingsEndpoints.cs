using Microsoft.AspNetCore.Http.HttpResults;

namespace SignalCraft.Accounts;

/// <summary><c>/api/workspace/settings</c>: every member reads, admins write (any subset of fields).</summary>
internal static class WorkspaceSettingsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workspace/settings").WithTags("Workspace settings").RequireWorkspace();
        group.MapGet("", GetAsync);
        group.MapPut("", UpdateAsync).RequireAuthorization(AccountsPolicies.Admin);
    }

    private static async Task<Ok<WorkspaceSettingsResponse>> GetAsync(
        CurrentWorkspace current, WorkspaceSettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(WorkspaceSettingsResponse.From(await store.GetAsync(current.WorkspaceId, ct)));

    private static async Task<Ok<WorkspaceSettingsResponse>> UpdateAsync(
        UpdateWorkspaceSettingsRequest request, CurrentWorkspace current, WorkspaceSettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(WorkspaceSettingsResponse.From(await store.UpdateAsync(current.WorkspaceId, request, ct)));
}

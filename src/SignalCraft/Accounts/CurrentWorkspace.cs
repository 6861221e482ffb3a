namespace SignalCraft.Accounts;

/// <summary>
/// Who the current <c>/api</c> request acts as, and in which workspace. Scoped; filled once per request by the
/// workspace check of <see cref="AccountsPolicies"/> (membership read from the database, so a removed member or a
/// deleted API token loses access at the next request). Inject it into handlers of a
/// <see cref="AccountsEndpointExtensions.RequireWorkspace"/> group.
/// </summary>
public sealed class CurrentWorkspace
{
    private Snapshot? _actor;

    /// <summary>False outside a workspace-scoped request (jobs, webhooks, anonymous routes).</summary>
    public bool IsResolved => _actor is not null;

    public long WorkspaceId => Actor.WorkspaceId;

    /// <summary>The signed-in user's id; null when an API token acts.</summary>
    public string? UserId => Actor.UserId;

    /// <summary>The API token's id when a token acts; null for a person.</summary>
    public long? ApiTokenId => Actor.ApiTokenId;

    /// <summary>The role in this workspace. API tokens act as <see cref="WorkspaceRole.Admin"/>.</summary>
    public WorkspaceRole Role => Actor.Role;

    /// <summary>For timelines and Slack ("Acknowledged by …"): the user's display name or email, or "API token &lt;name&gt;".</summary>
    public string DisplayName => Actor.DisplayName;

    public bool IsApiToken => Actor.ApiTokenId is not null;

    public bool IsAtLeast(WorkspaceRole role) => Actor.Role >= role;

    private Snapshot Actor => _actor ?? throw new InvalidOperationException(
        "CurrentWorkspace is only available in requests to a RequireWorkspace() endpoint group, after the workspace check.");

    internal void Set(long workspaceId, string? userId, long? apiTokenId, WorkspaceRole role, string displayName) =>
        _actor = new Snapshot(workspaceId, userId, apiTokenId, role, displayName);

    private sealed record Snapshot(long WorkspaceId, string? UserId, long? ApiTokenId, WorkspaceRole Role, string DisplayName);
}

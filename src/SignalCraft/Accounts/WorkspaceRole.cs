using System.Text.Json;
using System.Text.Json.Serialization;

namespace SignalCraft.Accounts;

/// <summary>
/// A member's role in a workspace, ordered by what it allows: members act on incidents; admins also change rules,
/// integrations, API tokens and members; owners also grant or take the owner role. A workspace always keeps an owner.
/// </summary>
[JsonConverter(typeof(WorkspaceRoleJsonConverter))]
public enum WorkspaceRole
{
    Member = 0,
    Admin = 1,
    Owner = 2,
}

/// <summary>API values are <c>member | admin | owner</c>; numbers are refused so that an unknown role cannot slip in.</summary>
internal sealed class WorkspaceRoleJsonConverter()
    : JsonStringEnumConverter<WorkspaceRole>(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

internal static class WorkspaceRoleNames
{
    /// <summary>The value stored in the database and shown in messages ("owner").</summary>
    public static string ToName(this WorkspaceRole role) => role switch
    {
        WorkspaceRole.Owner => "owner",
        WorkspaceRole.Admin => "admin",
        _ => "member",
    };

    public static WorkspaceRole Parse(string name) => name switch
    {
        "owner" => WorkspaceRole.Owner,
        "admin" => WorkspaceRole.Admin,
        "member" => WorkspaceRole.Member,
        _ => throw new InvalidOperationException($"Unknown workspace role '{name}' in the database."),
    };
}

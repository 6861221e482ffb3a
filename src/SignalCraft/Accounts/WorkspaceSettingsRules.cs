namespace SignalCraft.Accounts;

/// <summary>Validation and normalisation of settings values; pure functions.</summary>
internal static class WorkspaceSettingsRules
{
    public const int MaxAliases = 50;
    public const int MaxEnvironmentLength = 64;

    /// <summary>Environments compare trimmed and case-insensitively (Sentry sends what the SDK was configured with).</summary>
    public static string NormalizeEnvironment(string? environment) => (environment ?? "").Trim().ToLowerInvariant();

    /// <summary>
    /// Only IANA names, spelled exactly: the runtime would also accept Windows names ("W. Europe Standard Time") and,
    /// once a zone is cached, other casings, which other tools reading the setting would not understand.
    /// </summary>
    public static bool IsIanaTimeZone(string id) =>
        id.Length is > 0 and <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId
        && string.Equals(zone.Id, id, StringComparison.Ordinal);

    public static IEnumerable<string> CheckAliases(IReadOnlyDictionary<string, string> aliases)
    {
        if (aliases.Count > MaxAliases)
        {
            yield return $"environmentAliases holds at most {MaxAliases} aliases (got {aliases.Count}).";
            yield break;
        }
        var normalized = new Dictionary<string, string>();
        foreach (var (alias, canonical) in aliases)
        {
            var a = NormalizeEnvironment(alias);
            var c = NormalizeEnvironment(canonical);
            if (a.Length == 0 || c.Length == 0)
            {
                yield return "environmentAliases: aliases and canonical names must not be empty.";
            }
            else if (a.Length > MaxEnvironmentLength || c.Length > MaxEnvironmentLength)
            {
                yield return $"environmentAliases: names are at most {MaxEnvironmentLength} characters (\"{Shorten(a)}\").";
            }
            else if (a == c)
            {
                yield return $"environmentAliases: \"{a}\" is mapped to itself; remove it.";
            }
            else if (!normalized.TryAdd(a, c))
            {
                yield return $"environmentAliases: \"{a}\" appears twice (names compare case-insensitively).";
            }
        }
        foreach (var (alias, canonical) in normalized)
        {
            if (normalized.ContainsKey(canonical))
            {
                yield return $"environmentAliases: \"{alias}\" maps to \"{canonical}\", which is itself an alias; map it to the final name.";
            }
        }
    }

    public static Dictionary<string, string> NormalizeAliases(IReadOnlyDictionary<string, string> aliases) =>
        aliases.ToDictionary(a => NormalizeEnvironment(a.Key), a => NormalizeEnvironment(a.Value));

    private static string Shorten(string value) => value.Length <= 20 ? value : value[..20] + "…";
}

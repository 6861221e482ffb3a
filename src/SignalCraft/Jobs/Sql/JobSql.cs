namespace SignalCraft.Jobs.Sql;

/// <summary>
/// The statements that EF Core cannot express (a locking claim, an upsert with a condition), one implementation
/// per provider. Every statement takes "now" as the <c>@now</c> parameter: the database clock is never read, so
/// a test's fake clock governs due times as well.
/// </summary>
internal interface IJobSql
{
    /// <summary>
    /// Claims up to <c>@limit</c> due jobs in one statement and returns them (see <see cref="ClaimedJob"/>).
    /// Parameters: <c>@now</c>, <c>@limit</c>, <c>@candidates</c>, <c>@attempted_by</c>.
    /// </summary>
    string Claim { get; }

    /// <summary>
    /// Takes or renews the named lease when it is free, expired or already ours; returns one row when held.
    /// Parameters: <c>@name</c>, <c>@holder</c>, <c>@expires_at</c>, <c>@now</c>.
    /// </summary>
    string AcquireLease { get; }
}

/// <summary>The columns every claim returns, in this order.</summary>
internal static class ClaimColumns
{
    public const string List =
        "id, kind, args, workspace_id, priority, scheduled_at, attempt, max_attempts, attempted_at, attempted_by, errors, unique_key, created_at";

    // Fairness, shared by both providers: within a priority, a workspace's k-th due job ("turn" k) goes before
    // any workspace's (k+1)-th, so a tenant with 2,000 queued jobs cannot delay another tenant's first one.
    // ROW_NUMBER over (priority, workspace_id ORDER BY scheduled_at, id) follows ix_jobs_claim exactly, so the
    // ranking is an ordered index walk, not a sort of the backlog; only the (bounded) candidates are sorted.
    public const string RankedDue = """
        SELECT id, priority, scheduled_at,
               ROW_NUMBER() OVER (PARTITION BY priority, workspace_id ORDER BY scheduled_at, id) AS turn
        FROM jobs
        WHERE state IN ('available', 'scheduled', 'retryable') AND scheduled_at <= @now
        """;

    // The same statement on both providers: UPSERT with a condition (SQLite 3.24+, PostgreSQL 9.5+) and
    // RETURNING (SQLite 3.35+). No row comes back when another holder's lease has not expired.
    public const string AcquireLease = """
        INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires_at)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at < @now
        RETURNING holder
        """;
}

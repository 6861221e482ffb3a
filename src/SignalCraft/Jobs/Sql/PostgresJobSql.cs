namespace SignalCraft.Jobs.Sql;

/// <summary>
/// PostgreSQL: several instances claim concurrently. Ranked candidates are locked with <c>FOR UPDATE SKIP
/// LOCKED</c> (a row another claimer holds is skipped, never waited for) and marked running in the same
/// statement; the state is re-checked on the locked row, so a row claimed and committed by another instance
/// in the meantime is dropped rather than claimed twice.
/// </summary>
internal sealed class PostgresJobSql : IJobSql
{
    public string Claim { get; } = $"""
        WITH ranked AS (
            {ClaimColumns.RankedDue}
        ), candidates AS (
            SELECT id, priority, turn, scheduled_at
            FROM ranked
            WHERE turn <= @candidates
            ORDER BY priority, turn, scheduled_at, id
            LIMIT @candidates
        ), locked AS (
            SELECT j.id, c.priority, c.turn, c.scheduled_at
            FROM jobs j
            JOIN candidates c ON c.id = j.id
            WHERE j.state IN ('available', 'scheduled', 'retryable') AND j.scheduled_at <= @now
            ORDER BY c.priority, c.turn, c.scheduled_at, c.id
            LIMIT @limit
            FOR UPDATE OF j SKIP LOCKED
        )
        UPDATE jobs
        SET state = 'running', attempt = jobs.attempt + 1, attempted_at = @now, attempted_by = @attempted_by
        FROM locked
        WHERE jobs.id = locked.id
        RETURNING jobs.{ClaimColumns.List.Replace(", ", ", jobs.")}
        """;

    public string AcquireLease => ClaimColumns.AcquireLease;
}

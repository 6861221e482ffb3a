namespace SignalCraft.Jobs.Sql;

/// <summary>
/// SQLite: one writer at a time, so the claim is a single <c>UPDATE … WHERE id IN (ranked due jobs LIMIT n)
/// RETURNING</c>; the write lock makes it atomic without row locks. Window functions need SQLite 3.25+,
/// RETURNING 3.35+ (the bundled library is newer).
/// </summary>
internal sealed class SqliteJobSql : IJobSql
{
    public string Claim { get; } = $"""
        UPDATE jobs
        SET state = 'running', attempt = attempt + 1, attempted_at = @now, attempted_by = @attempted_by
        WHERE id IN (
            SELECT id FROM (
                {ClaimColumns.RankedDue}
            )
            WHERE turn <= @candidates
            ORDER BY priority, turn, scheduled_at, id
            LIMIT @limit
        )
        RETURNING {ClaimColumns.List}
        """;

    public string AcquireLease => ClaimColumns.AcquireLease;
}

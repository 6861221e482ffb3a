using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SignalCraft.Data;

/// <summary>Which database engine backs this instance. SQLite is for one instance; PostgreSQL for several.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Database selection, bound from the <c>Database</c> section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>The engine; <c>Sqlite</c> unless configured otherwise.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start-up. Production deployments may turn this off and run <c>migrate</c>.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// SQLite <c>synchronous</c> pragma. FULL (the default) makes every acknowledged webhook survive a power cut;
    /// NORMAL is faster but a crash of the machine (not of the process) may lose the last transactions.
    /// </summary>
    [RegularExpression("^(FULL|NORMAL|EXTRA)$")]
    public string SqliteSynchronous { get; set; } = "FULL";
}

[OptionsValidator]
internal sealed partial class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>;

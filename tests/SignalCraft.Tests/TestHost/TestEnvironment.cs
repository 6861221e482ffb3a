namespace SignalCraft.Tests.TestHost;

/// <summary>What the test command provides: the throwaway PostgreSQL, and whether missing parts must fail.</summary>
internal static class TestEnvironment
{
    /// <summary>Admin connection string of the throwaway PostgreSQL started by scripts/test.</summary>
    public static string? PostgresAdmin => Environment.GetEnvironmentVariable("SIGNALCRAFT_TEST_POSTGRES");

    /// <summary>Under CI (or when the test command started PostgreSQL) a missing dependency fails, never skips.</summary>
    public static bool MustHaveEverything =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || Environment.GetEnvironmentVariable("SIGNALCRAFT_TEST_REQUIRE_ALL") == "1";

    /// <summary>Skips (locally) or fails (CI) when PostgreSQL is not available.</summary>
    public static string RequirePostgres()
    {
        if (PostgresAdmin is { Length: > 0 } cs)
        {
            return cs;
        }
        const string message = "PostgreSQL is not available: run the tests through scripts/test, which starts one "
            + "and sets SIGNALCRAFT_TEST_POSTGRES.";
        if (MustHaveEverything)
        {
            Assert.Fail(message);
        }
        Assert.Skip(message);
        return "";
    }
}

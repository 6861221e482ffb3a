namespace SignalCraft.E2ETests.TestHost;

/// <summary>What the test command provides (PostgreSQL, Chromium), and whether a missing part fails or skips.</summary>
internal static class TestEnvironment
{
    public static string? PostgresAdmin => Environment.GetEnvironmentVariable("SIGNALCRAFT_TEST_POSTGRES");

    /// <summary>Under CI or scripts/test a missing dependency fails, never skips.</summary>
    public static bool MustHaveEverything =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || Environment.GetEnvironmentVariable("SIGNALCRAFT_TEST_REQUIRE_ALL") == "1";

    public static string RequirePostgres()
    {
        if (PostgresAdmin is { Length: > 0 } cs)
        {
            return cs;
        }
        Missing("PostgreSQL is not available: run the tests through scripts/test, which starts one and sets SIGNALCRAFT_TEST_POSTGRES.");
        return "";
    }

    /// <summary>Fails under CI/scripts/test, skips otherwise.</summary>
    public static void Missing(string message)
    {
        if (MustHaveEverything)
        {
            Assert.Fail(message);
        }
        Assert.Skip(message);
    }

    /// <summary>The folder that holds SignalCraft.slnx.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SignalCraft.slnx")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException($"No SignalCraft.slnx above {AppContext.BaseDirectory}.");
        }
    }
}

namespace SignalCraft.E2ETests.TestHost;

/// <summary>Where journeys leave what a person looks at afterwards (not committed).</summary>
public static class Artifacts
{
    /// <summary><c>artifacts/screenshots/</c> under the repository root, created on first use.</summary>
    public static string Screenshots
    {
        get
        {
            var folder = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }
}

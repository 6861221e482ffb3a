using SignalCraft.Data;

namespace SignalCraft.Tests.TestHost;

/// <summary>Theory data: every test that touches the database runs once per provider.</summary>
public static class Providers
{
    public static TheoryData<DatabaseProvider> All => new() { DatabaseProvider.Sqlite, DatabaseProvider.Postgres };
}

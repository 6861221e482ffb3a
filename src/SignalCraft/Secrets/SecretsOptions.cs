namespace SignalCraft.Secrets;

/// <summary>Bound from <c>Secrets</c>. The master key encrypts the Data Protection key ring stored in the database.</summary>
public sealed class SecretsOptions
{
    public const string SectionName = "Secrets";

    /// <summary>Base64 of at least 32 random bytes (<c>Secrets__MasterKey</c>).</summary>
    public string? MasterKey { get; set; }
}

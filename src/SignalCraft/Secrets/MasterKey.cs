using System.Security.Cryptography;
using SignalCraft.Data;

namespace SignalCraft.Secrets;

/// <summary>The decoded master key. Resolved once at start-up; never logged.</summary>
public sealed class MasterKey
{
    private const int MinimumBytes = 32;
    internal const string GeneratedFileName = "master.key";

    private readonly byte[] _bytes;

    private MasterKey(byte[] bytes) => _bytes = bytes;

    internal ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>
    /// Reads <c>Secrets:MasterKey</c>. With SQLite and no key configured, a key is generated into
    /// <c>data/master.key</c> beside the database (zero-setup run); PostgreSQL deployments share the key ring across
    /// instances, so there a missing key is a start-up error.
    /// </summary>
    internal static MasterKey Load(string? configured, DatabaseProvider provider, string contentRoot, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new MasterKey(Decode(configured));
        }
        if (provider == DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException(
                "Secrets:MasterKey is required with PostgreSQL. Set Secrets__MasterKey to the base64 of 32 random bytes "
                + "(for example: openssl rand -base64 32) and give every instance the same value.");
        }

        var path = Path.Combine(contentRoot, "data", GeneratedFileName);
        if (File.Exists(path))
        {
            logger.LogWarning("Using the generated master key in {Path}; set Secrets__MasterKey for production.", path);
            return new MasterKey(Decode(File.ReadAllText(path).Trim()));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = RandomNumberGenerator.GetBytes(MinimumBytes);
        File.WriteAllText(path, Convert.ToBase64String(bytes));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        logger.LogWarning(
            "No Secrets__MasterKey configured: generated one into {Path}. Back it up with the database; "
            + "without it the stored Slack tokens and signing secrets cannot be read.", path);
        return new MasterKey(bytes);
    }

    private static byte[] Decode(string value)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Secrets:MasterKey must be base64 (for example: openssl rand -base64 32).");
        }
        if (bytes.Length < MinimumBytes)
        {
            throw new InvalidOperationException($"Secrets:MasterKey must decode to at least {MinimumBytes} bytes.");
        }
        return bytes;
    }
}

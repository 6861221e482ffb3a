using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace SignalCraft.Secrets;

// Data Protection ships key-ring encryptors for certificates, DPAPI and Windows only. The key ring lives in the
// shared database, so it is wrapped here with AES-GCM under a key derived from Secrets:MasterKey; that is the
// whole reason this is hand-written.
internal static class MasterKeyCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static byte[] DeriveKey(MasterKey masterKey) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.Bytes.ToArray(), 32, info: "signalcraft/data-protection-key-ring"u8.ToArray());

    public static string Seal(byte[] key, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return Convert.ToBase64String(output);
    }

    public static string Open(byte[] key, string sealedValue)
    {
        var input = Convert.FromBase64String(sealedValue);
        var plain = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CryptographicException(
                "The Data Protection key ring cannot be decrypted: Secrets:MasterKey differs from the one it was written with.");
        }
        return Encoding.UTF8.GetString(plain);
    }
}

/// <summary>Encrypts each Data Protection key element before it is stored in the database.</summary>
internal sealed class MasterKeyXmlEncryptor(MasterKey masterKey) : IXmlEncryptor
{
    private readonly byte[] _key = MasterKeyCipher.DeriveKey(masterKey);

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with AES-GCM under a key derived from Secrets:MasterKey. "),
            new XElement("value", MasterKeyCipher.Seal(_key, plaintextElement.ToString(SaveOptions.DisableFormatting))));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}

/// <summary>Activated by Data Protection (by type name stored in the key XML) to read keys back.</summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = MasterKeyCipher.DeriveKey(services.GetRequiredService<MasterKey>());
        var value = encryptedElement.Element("value")?.Value
            ?? throw new CryptographicException("Encrypted Data Protection key has no value element.");
        return XElement.Parse(MasterKeyCipher.Open(key, value));
    }
}

using System.Security.Cryptography;

namespace SlackEmulator.State;

/// <summary>
/// Makes Slack-looking identifiers. The counter is never reset (not even by a state reset), so an id
/// handed out before a reset can never name something created after it.
/// </summary>
internal static class Ids
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Secret = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static long _counter;

    /// <summary>An id like Slack's: a type prefix (T, C, G, D, U, B, A) and upper-case alphanumerics.</summary>
    public static string Next(char prefix)
    {
        var n = Interlocked.Increment(ref _counter);
        return $"{prefix}0{ToBase36(n).PadLeft(7, '0')}";
    }

    public static long NextNumber() => Interlocked.Increment(ref _counter);

    public static string Random(int length) => RandomNumberGenerator.GetString(Secret, length);

    private static string ToBase36(long value)
    {
        var chars = new Stack<char>();
        do
        {
            chars.Push(Alphabet[(int)(value % 36)]);
            value /= 36;
        }
        while (value > 0);
        return new string([.. chars]);
    }
}

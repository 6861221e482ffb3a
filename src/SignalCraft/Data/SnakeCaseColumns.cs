using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SignalCraft.Data;

/// <summary>
/// Names an entity's columns in snake_case so the raw SQL of the hot paths (upserts, claims) reads the same on
/// SQLite and PostgreSQL without quoting mixed-case identifiers.
/// </summary>
internal static class SnakeCaseColumns
{
    /// <summary>Call at the end of <c>Configure</c>, after every property is declared.</summary>
    public static EntityTypeBuilder<T> WithSnakeCaseColumns<T>(this EntityTypeBuilder<T> builder) where T : class
    {
        foreach (var property in builder.Metadata.GetDeclaredProperties())
        {
            property.SetColumnName(ToSnakeCase(property.Name));
        }
        return builder;
    }

    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (!char.IsUpper(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}

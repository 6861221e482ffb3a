using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SignalCraft.Data;

/// <summary>Marks instants read from the database as UTC (they are always written as UTC).</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

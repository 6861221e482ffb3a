using System.ComponentModel.DataAnnotations;

namespace SignalCraft.Web;

/// <summary>Settings of the web app (section <c>Web</c>).</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>How often an open inbox asks whether anything changed (one cheap indexed query per ask).</summary>
    [Range(1, 60)]
    public int InboxPollSeconds { get; set; } = 3;
}

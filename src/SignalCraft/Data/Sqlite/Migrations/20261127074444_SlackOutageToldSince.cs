using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SignalCraft.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SlackOutageToldSince : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "outage_told_since",
                table: "slack_connections",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "outage_told_since",
                table: "slack_connections");
        }
    }
}

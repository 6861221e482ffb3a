using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SignalCraft.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FallbackTarget : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "FallbackTargetId",
                table: "workspace_settings",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FallbackTargetId",
                table: "workspace_settings");
        }
    }
}

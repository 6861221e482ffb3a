using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SignalCraft.Data.Postgres.Migrations
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
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_workspace_settings_FallbackTargetId",
                table: "workspace_settings",
                column: "FallbackTargetId");

            migrationBuilder.AddForeignKey(
                name: "FK_workspace_settings_notification_targets_FallbackTargetId",
                table: "workspace_settings",
                column: "FallbackTargetId",
                principalTable: "notification_targets",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_workspace_settings_notification_targets_FallbackTargetId",
                table: "workspace_settings");

            migrationBuilder.DropIndex(
                name: "IX_workspace_settings_FallbackTargetId",
                table: "workspace_settings");

            migrationBuilder.DropColumn(
                name: "FallbackTargetId",
                table: "workspace_settings");
        }
    }
}

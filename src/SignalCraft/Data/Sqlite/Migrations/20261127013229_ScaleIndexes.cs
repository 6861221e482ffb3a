using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SignalCraft.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ScaleIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_alert_events_workspace_id_received_at",
                table: "alert_events");

            migrationBuilder.CreateIndex(
                name: "IX_alert_group_tags_group_id_key_value",
                table: "alert_group_tags",
                columns: new[] { "group_id", "key", "value" });

            migrationBuilder.CreateIndex(
                name: "ix_alert_events_workspace_received_covering",
                table: "alert_events",
                columns: new[] { "workspace_id", "received_at", "group_id", "source", "project" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_alert_group_tags_group_id_key_value",
                table: "alert_group_tags");

            migrationBuilder.DropIndex(
                name: "ix_alert_events_workspace_received_covering",
                table: "alert_events");

            migrationBuilder.CreateIndex(
                name: "IX_alert_events_workspace_id_received_at",
                table: "alert_events",
                columns: new[] { "workspace_id", "received_at" });
        }
    }
}

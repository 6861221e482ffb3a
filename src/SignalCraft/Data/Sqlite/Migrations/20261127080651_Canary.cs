using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SignalCraft.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Canary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CanaryIntervalMinutes",
                table: "workspace_settings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CanaryTargetId",
                table: "workspace_settings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "canary_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<long>(type: "INTEGER", nullable: false),
                    target_id = table.Column<long>(type: "INTEGER", nullable: false),
                    integration_id = table.Column<long>(type: "INTEGER", nullable: true),
                    group_id = table.Column<long>(type: "INTEGER", nullable: true),
                    enqueued_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    delivered_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    round_trip_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_canary_runs", x => x.id);
                    table.ForeignKey(
                        name: "FK_canary_runs_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_canary_runs_workspace_id_enqueued_at",
                table: "canary_runs",
                columns: new[] { "workspace_id", "enqueued_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "canary_runs");

            migrationBuilder.DropColumn(
                name: "CanaryIntervalMinutes",
                table: "workspace_settings");

            migrationBuilder.DropColumn(
                name: "CanaryTargetId",
                table: "workspace_settings");
        }
    }
}

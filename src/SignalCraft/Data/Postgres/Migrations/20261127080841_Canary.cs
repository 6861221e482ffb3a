using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SignalCraft.Data.Postgres.Migrations
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
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CanaryTargetId",
                table: "workspace_settings",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "canary_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspace_id = table.Column<long>(type: "bigint", nullable: false),
                    target_id = table.Column<long>(type: "bigint", nullable: false),
                    integration_id = table.Column<long>(type: "bigint", nullable: true),
                    group_id = table.Column<long>(type: "bigint", nullable: true),
                    enqueued_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    delivered_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    round_trip_ms = table.Column<long>(type: "bigint", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    detail = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
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

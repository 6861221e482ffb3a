using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SignalCraft.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Jobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "job_probe_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    job_id = table.Column<long>(type: "INTEGER", nullable: false),
                    attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    attempted_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    process_id = table.Column<int>(type: "INTEGER", nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_probe_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "jobs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    args = table.Column<string>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<long>(type: "INTEGER", nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    priority = table.Column<int>(type: "INTEGER", nullable: false),
                    scheduled_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    max_attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    attempted_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    attempted_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    errors = table.Column<string>(type: "TEXT", nullable: false),
                    unique_key = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    finalized_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "leases",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    holder = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_leases", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "ix_job_probe_runs_job_id",
                table: "job_probe_runs",
                column: "job_id");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_claim",
                table: "jobs",
                columns: new[] { "priority", "workspace_id", "scheduled_at", "id" },
                filter: "state IN ('available', 'scheduled', 'retryable')");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_completed_finalized_at",
                table: "jobs",
                column: "finalized_at",
                filter: "state = 'completed'");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_running_attempted_at",
                table: "jobs",
                column: "attempted_at",
                filter: "state = 'running'");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_state_scheduled_at",
                table: "jobs",
                columns: new[] { "state", "scheduled_at" });

            migrationBuilder.CreateIndex(
                name: "ux_jobs_unique_key_unfinished",
                table: "jobs",
                column: "unique_key",
                unique: true,
                filter: "unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "job_probe_runs");

            migrationBuilder.DropTable(
                name: "jobs");

            migrationBuilder.DropTable(
                name: "leases");
        }
    }
}

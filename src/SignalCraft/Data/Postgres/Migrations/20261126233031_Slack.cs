using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SignalCraft.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Slack : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "slack_connections",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspace_id = table.Column<long>(type: "bigint", nullable: false),
                    team_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    team_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    team_url = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    app_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    bot_user_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    bot_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    scopes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    token_protected = table.Column<string>(type: "text", nullable: false),
                    refresh_token_protected = table.Column<string>(type: "text", nullable: true),
                    token_expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    last_error_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    connected_by_user_id = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_slack_connections", x => x.id);
                    table.ForeignKey(
                        name: "FK_slack_connections_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "slack_oauth_states",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspace_id = table.Column<long>(type: "bigint", nullable: false),
                    user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    state_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_slack_oauth_states", x => x.id);
                    table.ForeignKey(
                        name: "FK_slack_oauth_states_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "slack_user_links",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    workspace_id = table.Column<long>(type: "bigint", nullable: false),
                    user_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    team_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    slack_user_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    slack_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    linked_by = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    linked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_slack_user_links", x => x.id);
                    table.ForeignKey(
                        name: "FK_slack_user_links_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_slack_connections_team_id",
                table: "slack_connections",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_slack_connections_workspace_id_team_id",
                table: "slack_connections",
                columns: new[] { "workspace_id", "team_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_slack_oauth_states_state_hash",
                table: "slack_oauth_states",
                column: "state_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_slack_oauth_states_workspace_id",
                table: "slack_oauth_states",
                column: "workspace_id");

            migrationBuilder.CreateIndex(
                name: "IX_slack_user_links_workspace_id_team_id_slack_user_id",
                table: "slack_user_links",
                columns: new[] { "workspace_id", "team_id", "slack_user_id" });

            migrationBuilder.CreateIndex(
                name: "IX_slack_user_links_workspace_id_user_id_team_id",
                table: "slack_user_links",
                columns: new[] { "workspace_id", "user_id", "team_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "slack_connections");

            migrationBuilder.DropTable(
                name: "slack_oauth_states");

            migrationBuilder.DropTable(
                name: "slack_user_links");
        }
    }
}

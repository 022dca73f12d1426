using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NirsSync.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SpotChecksHardeningExports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "Uploads",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<double>(
                name: "ExportCorrelation",
                table: "Uploads",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExportFormat",
                table: "Uploads",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ExportOffsetFoundS",
                table: "Uploads",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ExportOffsetOverrideS",
                table: "Uploads",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ExportStart",
                table: "Uploads",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HealthyPeriodsJson",
                table: "Athletes",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<long>(
                name: "ReanalyzeDueAt",
                table: "Athletes",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReanalyzePending",
                table: "Athletes",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SpotChecks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AthleteId = table.Column<Guid>(type: "uuid", nullable: false),
                    TakenAt = table.Column<long>(type: "bigint", nullable: false),
                    Condition = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    EntriesJson = table.Column<string>(type: "text", nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RideId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpotChecks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SpotChecks_Athletes_AthleteId",
                        column: x => x.AthleteId,
                        principalTable: "Athletes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SpotChecks_AthleteId_TakenAt",
                table: "SpotChecks",
                columns: new[] { "AthleteId", "TakenAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SpotChecks_RideId",
                table: "SpotChecks",
                column: "RideId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SpotChecks");

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "ExportCorrelation",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "ExportFormat",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "ExportOffsetFoundS",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "ExportOffsetOverrideS",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "ExportStart",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "HealthyPeriodsJson",
                table: "Athletes");

            migrationBuilder.DropColumn(
                name: "ReanalyzeDueAt",
                table: "Athletes");

            migrationBuilder.DropColumn(
                name: "ReanalyzePending",
                table: "Athletes");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NirsSync.Data.Migrations
{
    /// <inheritdoc />
    public partial class GarminConnect : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "GarminActivityFiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    GarminUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    SummaryId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AthleteId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FileType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CallbackUrl = table.Column<string>(type: "TEXT", nullable: false),
                    ActivityId = table.Column<long>(type: "INTEGER", nullable: true),
                    ActivityName = table.Column<string>(type: "TEXT", nullable: true),
                    StartTime = table.Column<long>(type: "INTEGER", nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    UploadId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FetchedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GarminActivityFiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GarminActivityFiles_Athletes_AthleteId",
                        column: x => x.AthleteId,
                        principalTable: "Athletes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_GarminActivityFiles_Uploads_UploadId",
                        column: x => x.UploadId,
                        principalTable: "Uploads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "GarminLinks",
                columns: table => new
                {
                    AthleteId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GarminUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AccessToken = table.Column<string>(type: "TEXT", nullable: false),
                    LinkedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GarminLinks", x => x.AthleteId);
                    table.ForeignKey(
                        name: "FK_GarminLinks_Athletes_AthleteId",
                        column: x => x.AthleteId,
                        principalTable: "Athletes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_GarminActivityFiles_AthleteId",
                table: "GarminActivityFiles",
                column: "AthleteId");

            migrationBuilder.CreateIndex(
                name: "IX_GarminActivityFiles_GarminUserId_SummaryId",
                table: "GarminActivityFiles",
                columns: new[] { "GarminUserId", "SummaryId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GarminActivityFiles_Status",
                table: "GarminActivityFiles",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_GarminActivityFiles_UploadId",
                table: "GarminActivityFiles",
                column: "UploadId");

            migrationBuilder.CreateIndex(
                name: "IX_GarminLinks_GarminUserId",
                table: "GarminLinks",
                column: "GarminUserId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GarminActivityFiles");

            migrationBuilder.DropTable(
                name: "GarminLinks");
        }
    }
}

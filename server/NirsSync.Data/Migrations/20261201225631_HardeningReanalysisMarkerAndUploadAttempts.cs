using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NirsSync.Data.Migrations
{
    /// <inheritdoc />
    public partial class HardeningReanalysisMarkerAndUploadAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "Uploads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "ReanalyzeDueAt",
                table: "Athletes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReanalyzePending",
                table: "Athletes",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "ReanalyzeDueAt",
                table: "Athletes");

            migrationBuilder.DropColumn(
                name: "ReanalyzePending",
                table: "Athletes");
        }
    }
}

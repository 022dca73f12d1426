using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NirsSync.Data.Migrations
{
    /// <inheritdoc />
    public partial class SensorExportUploads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "ExportCorrelation",
                table: "Uploads",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExportFormat",
                table: "Uploads",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ExportOffsetFoundS",
                table: "Uploads",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ExportOffsetOverrideS",
                table: "Uploads",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ExportStart",
                table: "Uploads",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NirsSync.Data.Migrations
{
    /// <inheritdoc />
    public partial class IngestQueueLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "Uploads",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LeaseUntil",
                table: "Uploads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "NextAttemptAt",
                table: "Uploads",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "NextAttemptAt",
                table: "Uploads");
        }
    }
}

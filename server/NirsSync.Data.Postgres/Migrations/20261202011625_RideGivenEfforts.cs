using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NirsSync.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class RideGivenEfforts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "GivenEffortsJson",
                table: "Rides",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "GivenEffortsJson",
                table: "Rides");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NirsSync.Data.Migrations
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
                type: "TEXT",
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

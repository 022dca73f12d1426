using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NirsSync.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class RideAnalysisDocument : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Document",
                table: "Rides",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0]);

            // Existing rides: the four JSON columns become one schema-1 document (RideDocuments reads it as
            // schema 2), as the SQLite migration of the same name does. json (not jsonb) keeps the numbers' text.
            migrationBuilder.Sql(
                """
                UPDATE "Rides" SET "Document" = convert_to(json_build_object('schema', 1,
                    'metrics', "MetricsJson"::json, 'pairs', "PairsJson"::json, 'series', "SeriesJson"::json)::text, 'UTF8');
                """);

            migrationBuilder.DropColumn(
                name: "ChannelsJson",
                table: "Rides");

            migrationBuilder.DropColumn(
                name: "MetricsJson",
                table: "Rides");

            migrationBuilder.DropColumn(
                name: "PairsJson",
                table: "Rides");

            migrationBuilder.DropColumn(
                name: "SeriesJson",
                table: "Rides");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ChannelsJson",
                table: "Rides",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "MetricsJson",
                table: "Rides",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PairsJson",
                table: "Rides",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SeriesJson",
                table: "Rides",
                type: "text",
                nullable: false,
                defaultValue: "");

            // Metrics, pairs and channels come back whole; the series only from schema-1 documents.
            migrationBuilder.Sql(
                """
                UPDATE "Rides" SET
                    "MetricsJson" = (convert_from("Document", 'UTF8')::json -> 'metrics')::text,
                    "PairsJson" = (convert_from("Document", 'UTF8')::json -> 'pairs')::text,
                    "ChannelsJson" = coalesce((SELECT json_agg(m -> 'channel')
                        FROM json_array_elements(convert_from("Document", 'UTF8')::json -> 'metrics') AS m)::text, '[]'),
                    "SeriesJson" = coalesce((convert_from("Document", 'UTF8')::json -> 'series')::text, '{}')
                WHERE length("Document") > 0;
                """);

            migrationBuilder.DropColumn(
                name: "Document",
                table: "Rides");
        }
    }
}

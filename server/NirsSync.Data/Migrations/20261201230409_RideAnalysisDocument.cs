using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NirsSync.Data.Migrations
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
                type: "BLOB",
                nullable: false,
                defaultValue: new byte[0]);

            // The four JSON columns of a ride become one schema-1 document; RideDocuments reads schema 1 as
            // schema 2 (ChannelsJson repeated metrics[].channel, so it is not kept).
            migrationBuilder.Sql(
                """
                UPDATE "Rides" SET "Document" = CAST(json_object('schema', 1, 'metrics', json("MetricsJson"),
                    'pairs', json("PairsJson"), 'series', json("SeriesJson")) AS BLOB);
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
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "MetricsJson",
                table: "Rides",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PairsJson",
                table: "Rides",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SeriesJson",
                table: "Rides",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            // Metrics, pairs and channels come back whole; a schema-2 chart has no labels, so the series
            // is restored only from schema-1 documents (re-analysis rebuilds the others).
            migrationBuilder.Sql(
                """
                UPDATE "Rides" SET
                    "MetricsJson" = json_extract(CAST("Document" AS TEXT), '$.metrics'),
                    "PairsJson" = json_extract(CAST("Document" AS TEXT), '$.pairs'),
                    "ChannelsJson" = (SELECT json_group_array(json_extract(value, '$.channel'))
                        FROM json_each(CAST("Document" AS TEXT), '$.metrics')),
                    "SeriesJson" = coalesce(json_extract(CAST("Document" AS TEXT), '$.series'), '{}')
                WHERE length("Document") > 0;
                """);

            migrationBuilder.DropColumn(
                name: "Document",
                table: "Rides");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NirsSync.Data.Postgres.Migrations
{
    /// <summary>
    /// The large values (upload bytes, ride documents, trend documents) are compressed with LZ4 instead of PostgreSQL's
    /// default pglz when they move out of line: pglz on every 110 KiB upload and 50 KiB ride document made the database
    /// spend about as much CPU per ride as the server (docs/performance.md). Values already stored keep their
    /// compression until rewritten. A server built without LZ4, or older than PostgreSQL 14, keeps pglz (the change is skipped, not failed).
    /// </summary>
    public partial class ToastLz4 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => Compression(migrationBuilder, "lz4");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => Compression(migrationBuilder, "pglz");

        // SET COMPRESSION exists from PostgreSQL 14 (older servers keep pglz; the statements are run by EXECUTE so
        // that they are not even parsed there), and LZ4 only in servers built with it.
        private static void Compression(MigrationBuilder migrationBuilder, string method) => migrationBuilder.Sql($"""
            DO $$
            BEGIN
                IF current_setting('server_version_num')::int >= 140000 THEN
                    EXECUTE 'ALTER TABLE "UploadBlobs" ALTER COLUMN "Bytes" SET COMPRESSION {method}';
                    EXECUTE 'ALTER TABLE "Rides" ALTER COLUMN "Document" SET COMPRESSION {method}';
                    EXECUTE 'ALTER TABLE "Athletes" ALTER COLUMN "TrendsJson" SET COMPRESSION {method}';
                END IF;
            EXCEPTION WHEN feature_not_supported THEN
                RAISE NOTICE 'compression method {method} not supported by this server: kept the default';
            END
            $$;
            """);
    }
}

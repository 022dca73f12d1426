using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace NirsSync.Data;

/// <summary>
/// The server's database, SQLite or PostgreSQL (<see cref="NirsOptions.Database"/>): the one source of truth. With
/// SQLite, Hangfire's storage is in memory; with PostgreSQL it lives in the same database (schema "hangfire").
/// </summary>
public sealed class NirsDbContext(DbContextOptions<NirsDbContext> options)
    : IdentityDbContext<CoachUser>(options), IDataProtectionKeyContext
{
    /// <summary>The sign-in key ring in PostgreSQL mode, shared by every web node (SQLite mode keeps it in files).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<TrendRequest> TrendRequests => Set<TrendRequest>();

    public DbSet<Athlete> Athletes => Set<Athlete>();
    public DbSet<UploadToken> UploadTokens => Set<UploadToken>();
    public DbSet<Upload> Uploads => Set<Upload>();
    public DbSet<UploadBlob> UploadBlobs => Set<UploadBlob>();
    public DbSet<Ride> Rides => Set<Ride>();
    public DbSet<SpotCheck> SpotChecks => Set<SpotCheck>();
    public DbSet<AthleteInvite> AthleteInvites => Set<AthleteInvite>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset stored as text; store UTC ticks instead.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        GarminModel.Configure(builder);
        builder.Entity<Athlete>(e =>
        {
            e.HasIndex(a => a.CoachId);
            e.Property(a => a.CoachPairsJson).HasDefaultValue("[]");
            e.Property(a => a.HealthyPeriodsJson).HasDefaultValue("[]");
            e.Property(a => a.TimeZone).HasMaxLength(AthleteTimeZones.MaxLength).HasDefaultValue(AthleteTimeZones.Utc);
            e.HasOne<CoachUser>().WithMany().HasForeignKey(a => a.CoachId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<UploadToken>(e =>
        {
            e.HasIndex(t => t.Hash).IsUnique();
            e.HasIndex(t => t.AthleteId);
            e.HasOne<Athlete>().WithMany().HasForeignKey(t => t.AthleteId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AthleteInvite>(e =>
        {
            e.HasIndex(i => i.Hash).IsUnique();
            e.HasIndex(i => i.AthleteId);
            e.Property(i => i.CreatedBy).HasMaxLength(450);
            e.HasOne<Athlete>().WithMany().HasForeignKey(i => i.AthleteId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Upload>(e =>
        {
            e.HasIndex(u => new { u.AthleteId, u.Sha256 }).IsUnique();
            e.HasIndex(u => u.Status);
            // Only the sensor exports (few): the check after every stored FIT ride for exports waiting to join it.
            e.HasIndex(u => new { u.AthleteId, u.ExportFormat }).HasFilter("\"ExportFormat\" IS NOT NULL")
                .HasDatabaseName("IX_Uploads_AthleteId_Exports");
            e.Property(u => u.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(u => u.LeaseOwner).HasMaxLength(64);
            e.Property(u => u.ExportFormat).HasMaxLength(32);
            e.HasOne<Athlete>().WithMany().HasForeignKey(u => u.AthleteId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<UploadBlob>(e =>
        {
            e.HasKey(b => b.UploadId);
            e.HasOne<Upload>().WithOne().HasForeignKey<UploadBlob>(b => b.UploadId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<SpotCheck>(e =>
        {
            e.HasIndex(c => new { c.AthleteId, c.TakenAt });
            e.HasIndex(c => c.RideId).IsUnique();
            e.Property(c => c.Condition).HasMaxLength(32);
            e.Property(c => c.Note).HasMaxLength(SpotCheckLimits.NoteLength);
            e.Property(c => c.Source).HasMaxLength(16);
            e.HasOne<Athlete>().WithMany().HasForeignKey(c => c.AthleteId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<TrendRequest>(e =>
        {
            e.HasKey(t => t.AthleteId);
            e.HasOne<Athlete>().WithOne().HasForeignKey<TrendRequest>(t => t.AthleteId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Ride>(e =>
        {
            e.HasIndex(r => r.UploadId).IsUnique();
            e.HasIndex(r => new { r.AthleteId, r.StartTime });
            e.HasOne<Athlete>().WithMany().HasForeignKey(r => r.AthleteId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

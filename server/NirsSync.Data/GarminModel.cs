using Microsoft.EntityFrameworkCore;

namespace NirsSync.Data;

/// <summary>The Garmin Connect tables of <see cref="NirsDbContext"/>.</summary>
public static class GarminModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<GarminLink>(e =>
        {
            e.ToTable("GarminLinks");
            e.HasKey(l => l.AthleteId);
            e.HasIndex(l => l.GarminUserId).IsUnique();
            e.Property(l => l.GarminUserId).HasMaxLength(128);
            e.HasOne<Athlete>().WithOne().HasForeignKey<GarminLink>(l => l.AthleteId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<GarminActivityFile>(e =>
        {
            e.ToTable("GarminActivityFiles");
            e.HasIndex(f => new { f.GarminUserId, f.SummaryId }).IsUnique();
            e.HasIndex(f => f.Status);
            e.Property(f => f.GarminUserId).HasMaxLength(128);
            e.Property(f => f.SummaryId).HasMaxLength(128);
            e.Property(f => f.FileType).HasMaxLength(16);
            e.Property(f => f.Status).HasConversion<string>().HasMaxLength(16);
            e.HasOne<Athlete>().WithMany().HasForeignKey(f => f.AthleteId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Upload>().WithMany().HasForeignKey(f => f.UploadId).OnDelete(DeleteBehavior.SetNull);
        });
    }
}

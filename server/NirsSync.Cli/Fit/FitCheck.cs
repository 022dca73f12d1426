using System.Globalization;
using System.Text.Json;
using NirsSync.Fit;

namespace NirsSync.Cli;

/// <summary>
/// <c>nirssync fit check FILE</c>: header, sizes, CRCs, chained parts, message counts by type and
/// developer fields with their names, units and native mapping. Exit code 0 for a sound file, 1 for
/// a damaged one (the reason is printed), 2 when the file cannot be read at all.
/// </summary>
internal static class FitCheck
{
    public static int Run(FileInfo file, bool json, TextWriter output, TextWriter error)
    {
        if (!file.Exists)
        {
            error.WriteLine($"nirssync: {file.FullName}: no such file");
            return 2;
        }
        var bytes = File.ReadAllBytes(file.FullName);
        var fit = FitDecoder.Decode(bytes, FitDecodeOptions.Lenient);
        var report = Summarize(file.Name, bytes.Length, fit);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
        }
        else
        {
            WriteText(report, output);
        }
        if (fit.Damage is { } damage)
        {
            error.WriteLine($"nirssync: {file.Name}: damaged: {damage.ToException().Message}");
            return 1;
        }
        return 0;
    }

    internal static CheckReport Summarize(string name, long size, FitFile fit)
    {
        var parts = fit.Parts.Select((p, i) => new CheckPart(i, p.Offset, p.Header.HeaderSize,
            $"{p.Header.ProtocolMajor}.{p.Header.ProtocolMinor}", p.Header.ProfileVersion, p.Header.DataSize,
            p.Header.HeaderCrc is { } hc ? $"0x{hc:X4}" : null,
            p.StoredCrc is { } sc ? $"0x{sc:X4}" : null, p.ComputedCrc is { } cc ? $"0x{cc:X4}" : null,
            p.CrcOk, p.MessageCount, p.DefinitionCount)).ToList();
        var counts = fit.Messages.GroupBy(m => m.GlobalNumber).OrderBy(g => g.Key)
            .Select(g => new CheckCount(g.Key, FitProfile.MessageName(g.Key), g.Count())).ToList();
        var developer = fit.FieldDescriptions.Select(d => new CheckDeveloperField(d.Key, d.Name, d.Units,
            d.BaseType.ProfileName(), d.Scale, d.Offset, d.NativeMessageNumber, d.NativeFieldNumber,
            d.NativeMessageNumber is { } nm && d.NativeFieldNumber is { } nf ? FitProfile.Field(nm, nf)?.Name : null,
            d.Application?.ApplicationUuid,
            fit.Messages.Count(m => m.DeveloperFields.Any(f => f.DeveloperDataIndex == d.DeveloperDataIndex
                && f.Number == d.FieldDefinitionNumber && f.Value.IsValid)))).ToList();
        return new CheckReport(name, size, fit.Damage is null, fit.Damage?.ToException().Message, parts, counts, developer);
    }

    private static void WriteText(CheckReport r, TextWriter o)
    {
        o.WriteLine($"{r.File}: {r.Size} bytes, {(r.Sound ? "sound" : "DAMAGED")}");
        if (r.Damage is not null) o.WriteLine($"  damage: {r.Damage}");
        foreach (var p in r.Parts)
        {
            o.WriteLine($"  file {p.Index} at byte {p.Offset}: header {p.HeaderSize} bytes, protocol {p.Protocol}, " +
                $"profile {p.ProfileVersion}, data size {p.DataSize}{(p.DataSize == 0 ? " (unfinished file)" : "")}");
            o.WriteLine($"    header CRC {p.HeaderCrc ?? "none"}, file CRC {p.StoredCrc ?? "none"} " +
                $"(computed {p.ComputedCrc ?? "-"}) {(p.CrcOk ? "ok" : "MISMATCH")}; " +
                $"{p.Messages} data messages, {p.Definitions} definitions");
        }
        o.WriteLine("  messages:");
        foreach (var c in r.Messages)
            o.WriteLine($"    {c.Mesg,5} {c.Name ?? "(unknown)",-22} {c.Count,8}");
        if (r.DeveloperFields.Count > 0)
        {
            o.WriteLine("  developer fields:");
            foreach (var d in r.DeveloperFields)
                o.WriteLine($"    {d.Key,-6} {d.Name ?? "(no name)"} [{d.Units ?? ""}] {d.BaseType}" +
                    (d.Scale is { } s && s != 1 ? $" scale {s}" : "") +
                    (d.NativeField is { } nf ? $" -> native {d.NativeMesg}:{nf} {d.NativeName}" : "") +
                    $", {d.ValidValues} valid values" + (d.Application is { } a ? $", app {a}" : ""));
        }
    }
}

internal sealed record CheckReport(string File, long Size, bool Sound, string? Damage, IReadOnlyList<CheckPart> Parts,
    IReadOnlyList<CheckCount> Messages, IReadOnlyList<CheckDeveloperField> DeveloperFields);

internal sealed record CheckPart(int Index, long Offset, int HeaderSize, string Protocol, int ProfileVersion,
    uint DataSize, string? HeaderCrc, string? StoredCrc, string? ComputedCrc, bool CrcOk, int Messages, int Definitions);

internal sealed record CheckCount(int Mesg, string? Name, int Count);

internal sealed record CheckDeveloperField(string Key, string? Name, string? Units, string BaseType, byte? Scale,
    sbyte? Offset, ushort? NativeMesg, byte? NativeField, string? NativeName, string? Application, int ValidValues);

using System.Text.Json;
using NirsSync.Analysis;
using NirsSync.SensorExports;

namespace NirsSync.Cli;

/// <summary>The JSON form of <c>nirssync inspect --json</c>.</summary>
internal static class InspectJson
{
    public static void Write(Stream output, RideAnalysis a, SensorExport? export = null)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        if (a.Start is { } start) w.WriteString("start", start); else w.WriteNull("start");
        w.WriteNumber("duration_s", a.DurationS);
        w.WriteNumber("rows", a.Rows);
        if (a.RowsLeftOut > 0)
        {
            w.WriteNumber("rows_left_out", a.RowsLeftOut);
            w.WriteNumber("left_out_gap_s", a.LeftOutGapS);
        }
        w.WriteStartArray("channels");
        foreach (var c in a.Channels)
        {
            var info = c.Channel;
            w.WriteStartObject();
            w.WriteString("id", info.Id);
            w.WriteString("label", info.Label);
            if (info.Sensor is { } s) w.WriteNumber("sensor", s); else w.WriteNull("sensor");
            w.WriteString("muscle", Muscles.Name(info.Muscle));
            w.WriteString("side", Muscles.Name(info.Side));
            w.WriteString("region", JsonNamingPolicy.SnakeCaseLower.ConvertName(info.Region.ToString()));
            w.WriteString("source", JsonNamingPolicy.SnakeCaseLower.ConvertName(info.Source.ToString()));
            w.WriteNumber("samples", c.Quality.Samples);
            w.WriteNumber("valid_fraction", Math.Round(c.Quality.ValidFraction, 4));
            w.WriteStartObject("smo2");
            Num(w, "p5", c.SmO2.P5); Num(w, "p50", c.SmO2.P50); Num(w, "p95", c.SmO2.P95);
            Num(w, "min", c.SmO2.Min); Num(w, "max", c.SmO2.Max);
            Num(w, "mean", c.SmO2.Mean); Num(w, "functional_range", c.SmO2.FunctionalRange);
            w.WriteEndObject();
            w.WriteStartObject("thb");
            Num(w, "p5", c.THb.P5); Num(w, "p50", c.THb.P50); Num(w, "p95", c.THb.P95); Num(w, "mean", c.THb.Mean);
            w.WriteEndObject();
            Num(w, "o2hb_mean", c.O2HbMean);
            Num(w, "hhb_mean", c.HHbMean);
            w.WriteStartObject("quality");
            w.WriteNumber("zeros", c.Quality.Zeros);
            w.WriteNumber("out_of_range", c.Quality.OutOfRange);
            w.WriteNumber("frozen_samples", c.Quality.FrozenSamples);
            w.WriteNumber("dropouts", c.Quality.Dropouts);
            w.WriteNumber("sample_interval_s", c.Quality.SampleIntervalS);
            w.WriteNumber("gaps", c.Quality.Gaps);
            w.WriteEndObject();
            w.WriteNumber("efforts", c.EffortSummary.Count);
            Num(w, "desaturation_rate", c.EffortSummary.DesaturationRate);
            Num(w, "reoxygenation_half_time_s", c.EffortSummary.ReoxygenationHalfTimeS);
            Num(w, "mean_response_time_s", c.EffortSummary.MeanResponseTimeS);
            Num(w, "desaturation_depth", c.EffortSummary.DesaturationDepth);
            w.WriteNumber("recoveries_cut", c.EffortSummary.RecoveriesCut);
            w.WriteStartArray("effort_kinetics");
            foreach (var e in c.Efforts)
            {
                w.WriteStartObject();
                w.WriteNumber("start_s", e.StartS);
                w.WriteNumber("end_s", e.StartS + e.DurationS);
                w.WriteString("source", e.Source switch
                {
                    EffortSource.Power => "power", EffortSource.Lap => "lap", EffortSource.Given => "given", _ => "smo2",
                });
                Num(w, "baseline", e.Baseline);
                Num(w, "low", e.Low);
                Num(w, "depth", e.Depth);
                Num(w, "desaturation_rate", e.DesaturationRate);
                Num(w, "reoxygenation_half_time_s", e.HalfTimeFromEndS);
                Num(w, "mean_response_time_s", e.MeanResponseTimeS);
                Num(w, "work_level", e.WorkLevel);
                Num(w, "recovery_peak", e.RecoveryPeak);
                Num(w, "overshoot", e.OvershootFromEnd);
                w.WriteBoolean("recovery_cut", e.RecoveryCut);
                if (e.MeanPowerW > 0) w.WriteNumber("mean_power_w", e.MeanPowerW); else w.WriteNull("mean_power_w");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("pairs");
        foreach (var p in a.Pairs)
        {
            w.WriteStartObject();
            w.WriteString("a", p.A);
            w.WriteString("b", p.B);
            w.WriteString("relation", JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Relation.ToString()));
            w.WriteString("name", p.Name);
            Num(w, "asymmetry_p50", p.P50.AsymmetryIndex);
            Num(w, "difference_p50", p.P50.Difference);
            Num(w, "asymmetry_functional_range", p.FunctionalRange.AsymmetryIndex);
            Num(w, "correlation", p.Harmony.Correlation);
            Num(w, "lag_s", p.Harmony.LagS);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (export is not null) WriteExport(w, export);
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>"export": what a sensor export held before analysis (absent for FIT files).</summary>
    private static void WriteExport(Utf8JsonWriter w, SensorExport e)
    {
        w.WriteStartObject("export");
        w.WriteString("format", JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Format.ToString()));
        if (e.Start is { } start) w.WriteString("start", start); else w.WriteNull("start");
        w.WriteString("start_source", JsonNamingPolicy.SnakeCaseLower.ConvertName(e.StartSource.ToString()));
        w.WriteNumber("samples", e.Count);
        w.WriteNumber("duration_s", Math.Round(e.DurationS, 3));
        w.WriteNumber("sample_rate_hz", Math.Round(e.SampleRateHz, 3));
        w.WriteStartArray("sensors");
        foreach (var c in e.Channels)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            if (c.Sensor is { } s) w.WriteNumber("sensor", s); else w.WriteNull("sensor");
            if (c.Position is { } p) w.WriteString("position", p); else w.WriteNull("position");
            w.WriteString("region", JsonNamingPolicy.SnakeCaseLower.ConvertName(c.Region.ToString()));
            w.WriteString("side", Muscles.Name(c.Side));
            w.WriteBoolean("thb_g_dl", c.THb is not null);
            w.WriteBoolean("hb_arbitrary_units", c.O2Hb is not null || c.HHb is not null);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("laps");
        foreach (var l in e.Laps)
        {
            w.WriteStartObject();
            w.WriteNumber("number", l.Number);
            w.WriteNumber("start_s", Math.Round(l.StartS, 3));
            w.WriteNumber("end_s", Math.Round(l.EndS, 3));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Num(Utf8JsonWriter w, string name, double? v)
    {
        if (v is { } x && double.IsFinite(x)) w.WriteNumber(name, x); else w.WriteNull(name);
    }
}

using NirsSync.Analysis;

namespace NirsSync.SensorExports;

/// <summary>What a file is, judged by its content.</summary>
public enum SensorExportFormat
{
    /// <summary>None of the formats below.</summary>
    Unknown = 0,
    /// <summary>A FIT file (read it with NirsSync.Fit, not with this library).</summary>
    Fit,
    /// <summary>Moxy onboard memory exported by the Moxy Portal/PC app as CSV.</summary>
    MoxyCsv,
    /// <summary>The same Moxy export saved from Excel as XLSX (date as a day serial, time as text or a day fraction).</summary>
    MoxyXlsx,
    /// <summary>Train.Red app CSV export (both the 4-column and the 9-column sensor layout).</summary>
    TrainRedCsv,
    /// <summary>VO2 Master Manager CSV export (up to three muscle-oxygen slots).</summary>
    Vo2MasterCsv,
    /// <summary>PerfPRO Studio XLSX export.</summary>
    PerfProXlsx,
}

/// <summary>Where <see cref="SensorExport.Start"/> came from.</summary>
public enum StartSource
{
    /// <summary>No start: the file states no date and no override was given.</summary>
    None = 0,
    /// <summary>The file's own date and time, read as wall-clock time in the given time zone.</summary>
    File,
    /// <summary>The caller's explicit start (<see cref="SensorExportOptions.Start"/>).</summary>
    Override,
}

/// <summary>A lap or event segment of an export, in seconds from the first sample.</summary>
/// <param name="Number">The lap value as the file numbers it.</param>
/// <param name="StartS">Time of the lap's first sample.</param>
/// <param name="EndS">Time of the next lap's first sample, or of the last sample for the last lap.</param>
public sealed record ExportLap(int Number, double StartS, double EndS);

/// <summary>
/// One muscle-oxygen sensor of an export. Arrays have one value per sample of the export (NaN where the
/// sensor had no reading). <see cref="THb"/> is only set where the file gives tHb in g/dL; Train.Red's
/// haemoglobin is in arbitrary units and is kept in <see cref="O2Hb"/> and <see cref="HHb"/> instead.
/// </summary>
/// <param name="Name">The sensor as the file names it ("Moxy SN1614", "Train.Red FYER 0673", "VO2 Master slot 2", "PerfPro 1615").</param>
/// <param name="Sensor">The sensor number for the athlete's sensor map (serial, or the VO2 Master slot), null when the file does not say.</param>
/// <param name="Position">The position text the file states (Train.Red's "legRightUpperFront"), else null.</param>
/// <param name="BodyLocation">FIT body_location code for <paramref name="Position"/> (10 right_quad ...), else null.</param>
/// <param name="Region">Region from the position (Unknown without one).</param>
/// <param name="Side">Side from the position (Unknown without one).</param>
/// <param name="SmO2">SmO2 in %, the file's filtered/live value.</param>
/// <param name="SmO2Unfiltered">Train.Red's unfiltered SmO2 in %, else null.</param>
/// <param name="THb">Total haemoglobin in g/dL where the file gives it so (Moxy, VO2 Master, PerfPro), else null.</param>
/// <param name="O2Hb">Oxygenated haemoglobin in arbitrary units (Train.Red), else null.</param>
/// <param name="HHb">Deoxygenated haemoglobin in arbitrary units (Train.Red), else null.</param>
public sealed record ExportChannel(
    string Name,
    uint? Sensor,
    string? Position,
    int? BodyLocation,
    Region Region,
    Side Side,
    float[]? SmO2,
    float[]? SmO2Unfiltered,
    float[]? THb,
    float[]? O2Hb,
    float[]? HHb);

/// <summary>
/// A sensor export read into columns: sample times, the ride signals the file has, laps and one
/// <see cref="ExportChannel"/> per sensor. Missing values are NaN: blank cells, error cells, and zeros of
/// SmO2, tHb and heart rate (a sensor without a reading writes 0), as the FIT path treats invalid values.
/// </summary>
public sealed class SensorExport
{
    internal SensorExport(SensorExportFormat format, double[] timeS, DateTimeOffset? start, StartSource startSource,
        IReadOnlyList<ExportChannel> channels, IReadOnlyList<ExportLap> laps, float[]? power, float[]? heartRate,
        float[]? cadence, float[]? speed, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        Format = format;
        TimeS = timeS;
        Start = start;
        StartSource = startSource;
        Channels = channels;
        Laps = laps;
        Power = power;
        HeartRate = heartRate;
        Cadence = cadence;
        Speed = speed;
        Metadata = metadata;
    }

    /// <summary>Most sensors one export may hold (each becomes a developer data index of the analysis input).</summary>
    public const int MaxChannels = 64;

    public SensorExportFormat Format { get; }

    /// <summary>Number of samples (rows).</summary>
    public int Count => TimeS.Length;

    /// <summary>Seconds from the first sample, one per sample, never decreasing.</summary>
    public double[] TimeS { get; }

    /// <summary>The instant of the first sample (null when the file states no date and no start was given).</summary>
    public DateTimeOffset? Start { get; }

    public StartSource StartSource { get; }

    public IReadOnlyList<ExportChannel> Channels { get; }

    public IReadOnlyList<ExportLap> Laps { get; }

    /// <summary>Power in W (0 kept: coasting), null when the file has none.</summary>
    public float[]? Power { get; }

    /// <summary>Heart rate in bpm, null when the file has none.</summary>
    public float[]? HeartRate { get; }

    /// <summary>Cadence in rpm (0 kept), null when the file has none.</summary>
    public float[]? Cadence { get; }

    /// <summary>Speed in m/s, null when the file has none.</summary>
    public float[]? Speed { get; }

    /// <summary>The file's metadata lines as key/value pairs, in file order (firmware, session, sensor blocks).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }

    /// <summary>Time from the first to the last sample in seconds.</summary>
    public double DurationS => Count == 0 ? 0 : TimeS[^1] - TimeS[0];

    /// <summary>Median sample rate in Hz (steps of zero, repeated timestamps, are left out); 0 with fewer than two samples.</summary>
    public double SampleRateHz
    {
        get
        {
            var steps = new List<double>(Count);
            for (var i = 1; i < Count; i++) if (TimeS[i] > TimeS[i - 1]) steps.Add(TimeS[i] - TimeS[i - 1]);
            if (steps.Count == 0) return 0;
            steps.Sort();
            var median = steps.Count % 2 == 1 ? steps[steps.Count / 2] : (steps[steps.Count / 2 - 1] + steps[steps.Count / 2]) / 2;
            return 1 / median;
        }
    }

    /// <summary>
    /// The analysis input, as the FIT path builds it: one row per second that has samples (means of the
    /// valid samples in that second), FIT timestamps from <see cref="Start"/> (or <paramref name="start"/>,
    /// which wins), power and heart rate, laps, and per sensor a developer-field pair "SmO2 NAME" (%) and
    /// "THb NAME" (g/dL) with a session CIQ_device_info giving the sensor number and body location, so
    /// <see cref="ChannelDiscovery"/> identifies the channel (and the athlete's map gives its muscle) as
    /// for a FIT file's channel. O2Hb/HHb (arbitrary units) travel as further developer columns that the
    /// analysis does not take for SmO2 or tHb.
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither the file nor the caller gives a start.</exception>
    public RideFrame ToRideFrame(DateTimeOffset? start = null) => RideFrameBuilder.Build(this, start ?? Start
        ?? throw new InvalidOperationException($"this {Format} export states no date: give its start (--start) to place it in time"));
}

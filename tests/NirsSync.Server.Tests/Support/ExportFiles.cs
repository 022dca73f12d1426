using System.Text;

namespace NirsSync.Server.Tests.Support;

/// <summary>Sensor-export files for the upload tests.</summary>
public static class ExportFiles
{
    private const string Vo2MasterHeader =
        "Time[s],Time[hh:mm:ss],HR[bpm],SmO2[%],SmO2 -  2[%],SmO2 -  3[%],THb[THb],THb -  2[THb],THb -  3[THb],RPM[rpm],Speed[km/h],RR[ms]\n";

    /// <summary>A VO2 Master export of <paramref name="seconds"/> rows: it states no date, so it fails until it is sent with a start.</summary>
    public static byte[] Vo2Master(int seconds)
    {
        var sb = new StringBuilder(Vo2MasterHeader);
        for (var t = 0; t < seconds; t++)
            sb.Append($"{t},00:00:00,120,\"{60 - t % 40},50\",\"0,00\",\"{70 - t % 30},25\",\"13,80\",\"0,00\",\"12,10\",85,\"36,00\",500\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}

namespace NirsSync.Analysis;

/// <summary>Finds the pairs of channels with a known relation (docs/metrics.md, "Pairs").</summary>
internal static class PairFinder
{
    public static List<(int A, int B, PairRelation Relation, string Name)> Find(IReadOnlyList<ChannelInfo> channels,
        IReadOnlyList<PairDefinition> coach)
    {
        var pairs = new List<(int, int, PairRelation, string)>();
        for (var i = 0; i < channels.Count; i++)
            for (var j = 0; j < channels.Count; j++)
            {
                if (i == j) continue;
                var a = channels[i];
                var b = channels[j];
                if (Relation(a, b) is { } r) pairs.Add((i, j, r, Name(r, a, b)));
                else
                    foreach (var c in coach)
                        if (a.Muscle == c.MuscleA && a.Side == c.SideA && b.Muscle == c.MuscleB && b.Side == c.SideB
                            && a.Muscle != Muscle.Unknown && b.Muscle != Muscle.Unknown)
                        {
                            pairs.Add((i, j, PairRelation.Coach, c.Name));
                            break;
                        }
            }
        return pairs;
    }

    /// <summary>The relation with A first (left, lateralis, medial head, quadriceps), or null.</summary>
    private static PairRelation? Relation(ChannelInfo a, ChannelInfo b)
    {
        if (a.Side == Side.Left && b.Side == Side.Right)
        {
            if (a.Muscle != Muscle.Unknown && a.Muscle == b.Muscle) return PairRelation.LeftRight;
            if (a.Muscle == Muscle.Unknown && b.Muscle == Muscle.Unknown && a.Region != Region.Unknown && a.Region == b.Region)
                return PairRelation.LeftRight;
        }
        if (a.Side != b.Side) return null;
        if (a.Muscle == Muscle.VastusLateralis && b.Muscle == Muscle.VastusMedialis) return PairRelation.VastusLateralisMedialis;
        if (a.Muscle == Muscle.GastrocnemiusMedialHead && b.Muscle == Muscle.GastrocnemiusLateralHead)
            return PairRelation.GastrocnemiusMedialLateral;
        if (a.Region == Region.Quadriceps && b.Region == Region.Hamstrings) return PairRelation.QuadricepsHamstrings;
        return null;
    }

    private static string Name(PairRelation r, ChannelInfo a, ChannelInfo b) => r switch
    {
        PairRelation.LeftRight => $"{Label(a)} left/right",
        _ => $"{Label(a)}/{Label(b)} {Muscles.Name(a.Side)}",
    };

    private static string Label(ChannelInfo c) =>
        c.Muscle != Muscle.Unknown ? Muscles.Name(c.Muscle) : c.Region.ToString().ToLowerInvariant();
}

using System.Collections;
using System.Runtime.InteropServices;

namespace NirsSync.Analysis;

/// <summary>
/// One trend series' weekly accumulators in week order (keys year * 100 + ISO week), and the weekly values already
/// computed from them. Rides mostly arrive in time order, so a week is found at the end first, else by binary search
/// on the keys; accumulators are updated in place (a sorted tree of key/value pairs copied a 64-byte pair per
/// comparison and looked a week up twice per value).
/// </summary>
internal sealed class WeekSeries : IEnumerable<KeyValuePair<int, MetricAccumulator>>
{
    private readonly List<int> _keys = [];
    private readonly List<MetricAccumulator> _accs = [];

    /// <summary>Weekly values already computed, by week key; a new ride removes the weeks it changes.</summary>
    public Dictionary<int, WeeklyValue> Done { get; } = [];

    public int Count => _keys.Count;

    /// <summary>The week keys in order.</summary>
    public IReadOnlyList<int> Keys => _keys;

    private int Find(int key)
    {
        var n = _keys.Count;
        if (n > 0 && _keys[n - 1] == key) return n - 1;
        if (n == 0 || _keys[n - 1] < key) return ~n;
        return _keys.BinarySearch(key);
    }

    public bool ContainsKey(int key) => Find(key) >= 0;

    public bool TryGetValue(int key, out MetricAccumulator acc)
    {
        var i = Find(key);
        acc = i >= 0 ? _accs[i] : default;
        return i >= 0;
    }

    public MetricAccumulator this[int key] => Find(key) is var i and >= 0 ? _accs[i] : throw new KeyNotFoundException($"no week {key}");

    /// <summary>The accumulator of week <paramref name="key"/>, added empty when missing.</summary>
    public ref MetricAccumulator At(int key)
    {
        var i = Find(key);
        if (i < 0)
        {
            i = ~i;
            _keys.Insert(i, key);
            _accs.Insert(i, default);
        }
        return ref CollectionsMarshal.AsSpan(_accs)[i];
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<int, MetricAccumulator>> IEnumerable<KeyValuePair<int, MetricAccumulator>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(WeekSeries series) : IEnumerator<KeyValuePair<int, MetricAccumulator>>
    {
        private int _i = -1;

        public readonly KeyValuePair<int, MetricAccumulator> Current => new(series._keys[_i], series._accs[_i]);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_i < series._keys.Count;

        public void Reset() => _i = -1;

        public readonly void Dispose() { }
    }
}

using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Tests;

/// <summary>The SQLite write gate: one writer at a time; a waiter whose caller gives up leaves without writing.</summary>
public sealed class WriteGateTests
{
    private static WriteGate SqliteGate() => new(Options.Create(new NirsOptions()));

    [Fact]
    public async Task AWaiterCancelledWhileTheGateIsHeldThrowsWritesNothingAndKeepsNoTurn()
    {
        var gate = SqliteGate();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = gate.RunAsync(() => release.Task, upload: false);
        using var cancel = new CancellationTokenSource();
        var wrote = false;
        var waiter = gate.RunAsync(() => { wrote = true; return Task.FromResult(1); }, upload: true, cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        Assert.False(wrote);
        release.SetResult();
        await holder;
        Assert.Equal(2, await gate.RunAsync(() => Task.FromResult(2), upload: false));
    }
}

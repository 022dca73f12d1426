using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Tests;

/// <summary>The SQLite write gate: one writer at a time, and a waiter that can leave the queue without writing.</summary>
public sealed class WriteGateTests
{
    private static WriteGate SqliteGate() => new(Options.Create(new NirsOptions()));

    [Fact]
    public async Task AWaiterThatGivesUpLeavesWithoutWritingAndTheNextWaiterStillGetsItsTurn()
    {
        var gate = SqliteGate();
        var holderIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseHolder = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = gate.RunAsync(async () =>
        {
            holderIn.SetResult();
            await releaseHolder.Task;
        }, upload: true);
        await holderIn.Task;

        using var giveUp = new CancellationTokenSource();
        var leaverWrote = false;
        var leaver = gate.TryRunAsync(() => { leaverWrote = true; return Task.CompletedTask; }, upload: true, giveUp.Token);
        var laterWrote = false;
        var later = gate.TryRunAsync(() => { laterWrote = true; return Task.CompletedTask; }, upload: true, CancellationToken.None);

        giveUp.Cancel();
        Assert.False(await leaver); // left while the holder still held the gate: no exception, nothing run
        Assert.False(leaverWrote);
        Assert.False(later.IsCompleted);

        releaseHolder.SetResult();
        await holder;
        Assert.True(await later);
        Assert.True(laterWrote);
        Assert.False(leaverWrote);
        // The gate is free again: a leaver did not keep a permit, and the holder's release was not lost.
        Assert.True(await gate.TryRunAsync(() => Task.CompletedTask, upload: false, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsyncStillThrowsWhenItsCallerIsCancelledWhileWaiting()
    {
        var gate = SqliteGate();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = gate.RunAsync(() => release.Task, upload: false);
        using var cancel = new CancellationTokenSource();
        var waiter = gate.RunAsync(() => Task.FromResult(1), upload: true, cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        release.SetResult();
        await holder;
        Assert.Equal(2, await gate.RunAsync(() => Task.FromResult(2), upload: false));
    }
}

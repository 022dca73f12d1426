using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NirsSync.Data;
using NirsSync.Server.Tests.Support;
using NirsSync.Server.Uploads;

namespace NirsSync.Server.Tests;

/// <summary>
/// Group commit of new uploads (SQLite): uploads that wait for the writer are stored together in one commit, a
/// duplicate among them costs only itself, and a request that leaves before a commit took its upload stores nothing.
/// </summary>
public sealed class UploadCommitsTests : OneAthleteServer
{

    private UploadCommits Commits => Server.Services.GetRequiredService<UploadCommits>();

    private (Upload Upload, UploadBlob Blob) NewUpload(byte[] bytes)
    {
        var upload = new Upload
        {
            Id = Guid.CreateVersion7(), AthleteId = Athlete, Sha256 = SHA256.HashData(bytes), Size = bytes.Length,
            Status = UploadStatus.Pending, ReceivedAt = DateTimeOffset.UtcNow,
        };
        return (upload, new UploadBlob { UploadId = upload.Id, Bytes = bytes });
    }

    /// <summary>Holds the writer (as a long commit would) until the returned source is completed.</summary>
    private TaskCompletionSource HoldWriter(out Task held)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        held = Server.Services.GetRequiredService<WriteGate>().RunAsync(async () =>
        {
            taken.SetResult();
            await release.Task;
        }, upload: true);
        taken.Task.Wait(TimeSpan.FromSeconds(30));
        return release;
    }

    /// <summary>Starts a store in its own scope (as its own request would) and waits until it is queued.</summary>
    private async Task<Task<UploadCommits.Outcome>> StartStoreAsync((Upload Upload, UploadBlob Blob) item, int queuedBefore,
        CancellationToken cancellationToken = default)
    {
        var store = Task.Run(async () =>
        {
            await using var scope = Server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
            return await Commits.StoreAsync(db, item.Upload, item.Blob, cancellationToken);
        }, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Commits.Waiting <= queuedBefore && DateTime.UtcNow < deadline) await Task.Delay(5, CancellationToken.None);
        Assert.Equal(queuedBefore + 1, Commits.Waiting);
        return store;
    }

    private async Task<List<Guid>> StoredIdsAsync()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        return await (from u in db.Uploads join b in db.UploadBlobs on u.Id equals b.UploadId
                      where u.AthleteId == Athlete select u.Id).ToListAsync();
    }

    [Fact]
    public async Task Uploads_waiting_for_the_writer_are_stored_in_one_commit()
    {
        var items = Enumerable.Range(0, 5).Select(i => NewUpload(Rides.Synthetic(seed: 300 + i, minutes: 5))).ToList();
        var release = HoldWriter(out var held);
        var stores = new List<Task<UploadCommits.Outcome>>();
        foreach (var item in items) stores.Add(await StartStoreAsync(item, stores.Count));
        var commitsBefore = Commits.Commits;
        release.SetResult();
        await held;

        Assert.All(await Task.WhenAll(stores), outcome => Assert.Equal(UploadCommits.Outcome.Stored, outcome));
        Assert.Equal(commitsBefore + 1, Commits.Commits);
        Assert.Equal(0, Commits.Waiting);
        Assert.Equal(items.Select(i => i.Upload.Id).Order(), (await StoredIdsAsync()).Order());
    }

    [Fact]
    public async Task A_duplicate_in_a_group_is_refused_alone_and_the_others_are_stored()
    {
        var bytes = Rides.Synthetic(seed: 310, minutes: 5);
        var first = NewUpload(bytes);
        var other = NewUpload(Rides.Synthetic(seed: 311, minutes: 5));
        var again = NewUpload(bytes); // the same file for the same athlete, as a second request at the same moment
        var release = HoldWriter(out var held);
        var stores = new List<Task<UploadCommits.Outcome>>
        {
            await StartStoreAsync(first, 0), await StartStoreAsync(other, 1), await StartStoreAsync(again, 2),
        };
        release.SetResult();
        await held;

        var outcomes = await Task.WhenAll(stores);
        Assert.Equal([UploadCommits.Outcome.Stored, UploadCommits.Outcome.Stored, UploadCommits.Outcome.Duplicate], outcomes);
        Assert.Equal(new[] { first.Upload.Id, other.Upload.Id }.Order(), (await StoredIdsAsync()).Order());
    }

    [Fact]
    public async Task A_row_the_schema_refuses_fails_only_its_own_request()
    {
        var good = NewUpload(Rides.Synthetic(seed: 312, minutes: 5));
        var orphan = NewUpload(Rides.Synthetic(seed: 313, minutes: 5));
        orphan.Upload.AthleteId = Guid.CreateVersion7(); // no such athlete: the foreign key refuses it
        var alsoGood = NewUpload(Rides.Synthetic(seed: 314, minutes: 5));
        var release = HoldWriter(out var held);
        var stores = new List<Task<UploadCommits.Outcome>>
        {
            await StartStoreAsync(good, 0), await StartStoreAsync(orphan, 1), await StartStoreAsync(alsoGood, 2),
        };
        release.SetResult();
        await held;

        Assert.Equal(UploadCommits.Outcome.Stored, await stores[0]);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => stores[1]);
        Assert.True(RowInsert.IsConstraintViolation(refused), refused.ToString());
        Assert.False(RowInsert.IsUniqueViolation(refused));
        Assert.Equal(UploadCommits.Outcome.Stored, await stores[2]);
        Assert.Equal(new[] { good.Upload.Id, alsoGood.Upload.Id }.Order(), (await StoredIdsAsync()).Order());
    }

    [Fact]
    public async Task A_lone_duplicate_of_a_stored_upload_is_refused_as_a_duplicate()
    {
        var bytes = Rides.Synthetic(seed: 315, minutes: 5);
        var first = NewUpload(bytes);
        var again = NewUpload(bytes);
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NirsDbContext>();
        Assert.Equal(UploadCommits.Outcome.Stored, await Commits.StoreAsync(db, first.Upload, first.Blob, CancellationToken.None));
        Assert.Equal(UploadCommits.Outcome.Duplicate, await Commits.StoreAsync(db, again.Upload, again.Blob, CancellationToken.None));
        Assert.Equal([first.Upload.Id], await StoredIdsAsync());
    }

    [Fact]
    public async Task A_request_that_leaves_before_its_commit_stores_nothing()
    {
        var leaving = NewUpload(Rides.Synthetic(seed: 320, minutes: 5));
        var staying = NewUpload(Rides.Synthetic(seed: 321, minutes: 5));
        using var cancel = new CancellationTokenSource();
        var release = HoldWriter(out var held);
        var left = await StartStoreAsync(leaving, 0, cancel.Token);
        var stays = await StartStoreAsync(staying, 1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left);
        release.SetResult();
        await held;

        Assert.Equal(UploadCommits.Outcome.Stored, await stays);
        Assert.Equal([staying.Upload.Id], await StoredIdsAsync());
        Assert.Equal(0, Commits.Waiting);
    }
}

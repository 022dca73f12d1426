using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace NirsSync.Data;

/// <summary>
/// An EF Core compiled query (translated once, not at every call: no expression-tree walk or cache lookup per
/// execution) for each database provider. EF binds a compiled query to the provider of the first context that runs
/// it, so one process that uses both providers (the tests do) needs one per provider.
/// </summary>
/// <typeparam name="TQuery">The delegate <c>EF.CompileAsyncQuery</c> returns.</typeparam>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile) where TQuery : Delegate
{
    private readonly ConcurrentDictionary<string, TQuery> _byProvider = new();

    /// <summary>The query compiled for <paramref name="db"/>'s provider.</summary>
    public TQuery For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return _byProvider.GetOrAdd(db.Database.ProviderName ?? "", _ => compile());
    }
}

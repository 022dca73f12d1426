using Microsoft.EntityFrameworkCore;

namespace NirsSync.Data;

/// <summary>
/// An EF Core compiled query (translated once, not at every call: no expression-tree walk or cache lookup per
/// execution) for each database provider. EF binds a compiled query to the provider of the first context that runs
/// it, so one process that uses both providers (the tests do) needs one per provider: one per model.
/// </summary>
/// <typeparam name="TQuery">The delegate <c>EF.CompileAsyncQuery</c> returns.</typeparam>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile) where TQuery : Delegate
{
    // Keyed by the model instance: EF checks that a compiled query runs against the model it was compiled for, and a
    // process holds one model per provider and set of model-affecting options.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, TQuery> _byModel = [];

    /// <summary>The query compiled for <paramref name="db"/>'s model (and so its provider).</summary>
    public TQuery For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return _byModel.GetValue(db.Model, _ => compile());
    }
}

namespace IdResolution.Node.Budgets;

/// <summary>
/// Endpoint metadata naming the budget a request to the endpoint spends. Put where the endpoint is
/// mapped (<see cref="BudgetConventions.Spends{TBuilder}"/>), so a new route is classified beside its
/// declaration instead of by a path list elsewhere; on a gRPC service it covers the JSON routes too.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
internal sealed class SpendsBudgetAttribute(RequestBudget budget) : Attribute
{
    public RequestBudget Budget { get; } = budget;
}

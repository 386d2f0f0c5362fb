namespace IdResolution.Node.Budgets;

internal static class BudgetConventions
{
    /// <summary>Requests to these endpoints spend <paramref name="budget"/>.</summary>
    public static TBuilder Spends<TBuilder>(this TBuilder builder, RequestBudget budget)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new SpendsBudgetAttribute(budget));
}

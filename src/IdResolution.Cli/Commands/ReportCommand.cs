using System.CommandLine;
using IdResolution.Cli.Output;
using IdResolution.Contracts.V1;

namespace IdResolution.Cli.Commands;

/// <summary>
/// <c>idres report &lt;yyyy-MM&gt;</c>: a node's monthly report (OperationsAdministration.GetMonthlyReport, the gRPC twin of
/// <c>GET /v1/admin/reports/{month}</c>): operating hours, availability, incidents, declared maintenance, registrations
/// and resolutions. Printed as the node's Markdown document, or as its fields with <c>--format json</c> or <c>--json</c>.
/// </summary>
internal static class ReportCommand
{
    private const string Markdown = "markdown";
    private const string Json = "json";

    public static Command Create()
    {
        var month = new Argument<string>("month") { Description = "The UTC month, yyyy-MM (e.g. 2026-11)" };
        var node = new Option<string>("--node") { Description = "A child node's prefix, on its parent (default: the node itself)" };
        var format = new Option<string>("--format") { Description = "markdown (the default) prints the report as a document; json prints its fields" };
        format.AcceptOnlyFromAmong(Markdown, Json);
        var command = new Command("report", "A node's monthly report: availability, incidents, maintenance, registrations and resolutions") { month, node, format };
        Invocation.Bind(command, async run =>
        {
            // The document is asked for unless only the fields are wanted, so --json --format markdown carries it too.
            var chosen = run.Get(format) ?? (run.Terminal.Json ? Json : Markdown);
            var reply = await run.Node.Operations.GetMonthlyReportAsync(
                new GetMonthlyReportRequest { Month = run.Get(month), Node = run.Get(node) ?? string.Empty, Format = chosen }, run.Call());
            if (run.Terminal.Json || chosen == Json)
            {
                Terminal.WriteJson(ProtoJson.Node(reply));
            }
            else
            {
                Console.Out.Write(reply.Markdown);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

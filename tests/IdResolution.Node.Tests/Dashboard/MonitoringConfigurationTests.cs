using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdResolution.Node.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace IdResolution.Node.Tests.Dashboard;

/// <summary>
/// deploy/grafana and deploy/prometheus against the node as it runs: valid JSON and YAML, every query names
/// a metric that a live secondary or top level really exports (each scraped after traffic that touches every
/// panel: an instrument never recorded is not exported), and every alert has a runbook line.
/// </summary>
[Collection(TwoLevelsCollection.Name)]
public sealed partial class MonitoringConfigurationTests
{
    private readonly TwoLevels _fleet;

    public MonitoringConfigurationTests(TwoLevels fleet) => _fleet = fleet;

    private static string Dashboard => Path.Combine(Repository.Root, "deploy", "grafana", "idresolution-dashboard.json");

    private static string Alerts => Path.Combine(Repository.Root, "deploy", "prometheus", "alerts.yml");

    private static string Scrape => Path.Combine(Repository.Root, "deploy", "prometheus", "prometheus.yml");

    [Fact]
    public async Task Every_grafana_query_and_alert_names_a_metric_a_live_secondary_or_top_level_exports()
    {
        var exported = await ScrapeAfterTrafficAsync();
        var queries = GrafanaQueries().Concat(AlertRules().Select(r => (r.Name, r.Expression))).ToList();
        Assert.True(queries.Count > 20, $"{queries.Count} queries");

        var missing = new List<string>();
        foreach (var (where, expression) in queries)
        {
            var names = MetricNames(expression);
            Assert.True(names.Count > 0, $"{where}: no metric in '{expression}'");
            missing.AddRange(names.Where(n => n != "up" && !exported.Contains(n)).Select(name => $"{where}: {name}"));
        }

        Assert.True(missing.Count == 0, "not exported by either node: " + string.Join("; ", missing));
    }

    [Fact]
    public void The_dashboard_has_a_per_node_variable_and_every_panel_a_query()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var variables = json.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();
        var instance = Assert.Single(variables, v => v.GetProperty("name").GetString() == "instance");
        Assert.True(instance.GetProperty("multi").GetBoolean(), "a fleet: several nodes at once");
        foreach (var panel in json.RootElement.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() is not ("row" or "text")))
        {
            var title = panel.GetProperty("title").GetString();
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"{title}: no query");
            Assert.All(targets, t => Assert.Contains("$instance", t.GetProperty("expr").GetString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_alert_has_a_runbook_line_a_summary_and_a_severity()
    {
        var rules = AlertRules();
        string[] required = ["IdresNodeDown", "IdresErrorRatioHigh", "IdresResolveLatencyP99High", "IdresRedisBreakerOpen", "IdresStoreUnhealthy",
            "IdresFilingBacklogGrowing", "IdresEscrowLagHigh", "IdresSecondaryLate", "IdresSecondaryDown"];
        Assert.Empty(required.Except(rules.Select(r => r.Name)));
        foreach (var rule in rules)
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Runbook), $"{rule.Name} has no runbook line");
            Assert.DoesNotContain('\n', rule.Runbook.Trim());
            Assert.False(string.IsNullOrWhiteSpace(rule.Summary), $"{rule.Name} has no summary");
            Assert.Contains(rule.Severity, new[] { "warning", "critical" });
        }
    }

    [Fact]
    public void The_scrape_configuration_loads_the_alert_rules_from_beside_it()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Scrape))
        {
            yaml.Load(reader);
        }

        // Without a rule_files entry Prometheus scrapes but never evaluates a single alert.
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        Assert.True(root.Children.TryGetValue(new YamlScalarNode("rule_files"), out var entry) && entry is YamlSequenceNode,
            "prometheus.yml has no rule_files list");
        var files = ((YamlSequenceNode)entry).Cast<YamlScalarNode>().Select(f => f.Value ?? string.Empty).ToList();

        // Prometheus resolves a relative rule file against the configuration file's directory, as promtool does.
        var directory = Path.GetDirectoryName(Scrape)!;
        Assert.Contains(files, f => Path.GetFullPath(Path.Combine(directory, f)) == Path.GetFullPath(Alerts));
    }

    [Fact]
    public async Task Promtool_accepts_the_rules_and_the_scrape_configuration()
    {
        var promtool = ExternalTool.FindOnPath("promtool");
        if (promtool is null)
        {
            Assert.Skip("promtool is not installed (Debian: apt-get install prometheus); the YAML and runbook checks above still ran");
        }

        var directory = Path.GetDirectoryName(Alerts)!;
        var rules = await ExternalTool.RunAsync(promtool, ["check", "rules", "alerts.yml"], directory, TimeSpan.FromSeconds(60));
        Assert.True(rules.ExitCode == 0, rules.Text);
        var config = await ExternalTool.RunAsync(promtool, ["check", "config", "prometheus.yml"], directory, TimeSpan.FromSeconds(60));
        Assert.True(config.ExitCode == 0, config.Text);
    }

    /// <summary>Metric names in a PromQL expression: every selector's name and the names a <c>__name__</c> matcher lists.</summary>
    private static HashSet<string> MetricNames(string expression)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var withoutStrings = QuotedString().Replace(expression, "\"\"");
        foreach (Match selector in Selector().Matches(withoutStrings))
        {
            names.Add(selector.Groups["name"].Value);
        }

        foreach (Match matcher in NameMatcher().Matches(expression))
        {
            names.UnionWith(matcher.Groups["names"].Value.Split('|'));
        }

        names.ExceptWith(["by", "without", "on", "ignoring", "group_left", "group_right"]);
        return names;
    }

    private static List<(string Where, string Expression)> GrafanaQueries()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var queries = new List<(string, string)>();
        foreach (var panel in json.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (panel.TryGetProperty("targets", out var targets))
            {
                queries.AddRange(targets.EnumerateArray().Select(t => ($"panel '{panel.GetProperty("title").GetString()}'", t.GetProperty("expr").GetString()!)));
            }
        }

        return queries;
    }

    private static List<(string Name, string Expression, string Runbook, string Summary, string Severity)> AlertRules()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Alerts))
        {
            yaml.Load(reader);
        }

        var rules = new List<(string, string, string, string, string)>();
        var groups = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"];
        foreach (var group in groups.Cast<YamlMappingNode>())
        {
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                var annotations = (YamlMappingNode)rule["annotations"];
                var labels = (YamlMappingNode)rule["labels"];
                rules.Add((Text(rule, "alert"), Text(rule, "expr"), Text(annotations, "runbook"), Text(annotations, "summary"), Text(labels, "severity")));
            }
        }

        Assert.NotEmpty(rules);
        return rules;
    }

    private static string Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value ?? string.Empty : string.Empty;

    /// <summary>
    /// Traffic on both levels that records every instrument the panels read (resolutions found and not found
    /// through both cache tiers, registrations, a lookup the secondary sends upward), then both /metrics.
    /// </summary>
    private async Task<HashSet<string>> ScrapeAfterTrafficAsync()
    {
        using (var secondary = new NodeTraffic(_fleet.Secondary, TwoLevels.SecondaryPrefix))
        {
            await secondary.RegisterAsync("METRICS-1");
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await secondary.ResolveAsync("METRICS-1"));
            }

            Assert.Equal(HttpStatusCode.NotFound, await secondary.ResolveAsync("METRICS-MISSING"));
        }

        // A top level keeps prefix handles only: the secondary's (written when it was admitted), and one it never had.
        using (var top = new NodeTraffic(_fleet.TopLevel, "0.NA"))
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await top.ResolveAsync(TwoLevels.SecondaryPrefix));
            }

            Assert.Equal(HttpStatusCode.NotFound, await top.ResolveAsync(TwoLevels.TopPrefix + ".999"));
        }

        // The secondary asks its parent about a handle it does not hold: federation calls and the referral cache.
        using (var upward = await _fleet.Secondary.Http.GetAsync("/v1/handles/88.1/ELSEWHERE", TestContext.Current.CancellationToken))
        {
            Assert.NotEqual(HttpStatusCode.InternalServerError, upward.StatusCode);
        }

        var exported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in new[] { _fleet.Secondary, _fleet.TopLevel })
        {
            var text = await node.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
            exported.UnionWith(text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => ExportedName().Match(l).Value));
        }

        return exported;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex QuotedString();

    // A name followed by a label selector or a range: a metric, not a function (followed by '(').
    [GeneratedRegex("(?<![A-Za-z0-9_:])(?<name>[A-Za-z_:][A-Za-z0-9_:]*)\\s*[{\\[]")]
    private static partial Regex Selector();

    [GeneratedRegex("__name__=~?\"(?<names>[A-Za-z0-9_:|]+)\"")]
    private static partial Regex NameMatcher();

    [GeneratedRegex("^[A-Za-z_:][A-Za-z0-9_:]*")]
    private static partial Regex ExportedName();
}

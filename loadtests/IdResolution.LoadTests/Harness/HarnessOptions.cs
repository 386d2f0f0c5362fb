using System.Globalization;

namespace IdResolution.LoadTests.Harness;

/// <summary>The command line of the scenario harness: <c>&lt;scenario&gt;... --target URL --grpc URL [options]</c>.</summary>
internal sealed record HarnessOptions(
    IReadOnlyList<string> Scenarios,
    Uri Target,
    Uri Grpc,
    string Password,
    int Callers,
    double? Rate,
    TimeSpan Measured,
    TimeSpan Warmup,
    int Handles,
    bool Seed,
    string Results,
    bool OwnNode,
    IReadOnlyList<string> NodeSettings,
    bool Ceiling = false)
{
    public static readonly string[] Known =
    [
        "baseline-grpc", "baseline-http", "resolve-hot", "resolve-http", "redirect", "resolve-batch", "resolve-cold",
        "register", "register-batch", "mixed", "seed", "federation", "resolve-redis",
    ];

    public const string Usage = """
        usage: IdResolution.LoadTests <scenario>... --target http://127.0.0.1:PORT --grpc http://127.0.0.1:PORT
                                      [--password P] [--callers N | --rate R] [--seconds S] [--warmup S]
                                      [--handles N] [--no-seed] [--results DIR]
                                      [--own-node] [--node-setting KEY=VALUE]... [--store-stall MS:EVERY] [--ceiling]
          scenarios       baseline-grpc baseline-http resolve-hot resolve-http redirect resolve-batch resolve-cold
                          register register-batch mixed seed, or all; each runs after the baseline it is compared with
                          resolve-redis: starts its own redis-server and node (implies --own-node), that node's
                          in-process tier off and Redis tier on; compared with baseline-grpc on that node
                          federation (alone): starts its own top level and secondaries A and B on spare ports and
                          compares resolving A's identifiers through B with B's own resolve-hot; --target, --grpc,
                          --password and --no-seed do not apply
          --target URL    the node's HTTP port        --grpc URL   its gRPC port (h2c)
          --password P    the administrator's password (default: $IDRES_ADMIN_PASSWORD)
          --callers N     closed loop, N callers back to back (default 32)
          --rate R        open loop instead: R calls a second, latency from each call's intended send time
          --seconds S     measured time per scenario (default 10)
          --warmup S      each scenario, unmeasured, before any is measured (default 2)
          --handles N     dataset size, created through BatchCreate before the scenarios (default 10000)
          --no-seed       the dataset is already on the node
          --results DIR   where the JSON goes (default loadtests/results)
          --own-node      start a node here (spare loopback ports, own temp dir, production settings, stopped at
                          the end) instead of using --target/--grpc/--password
          --node-setting KEY=VALUE  a setting for that node (implies --own-node; repeat for more),
                          e.g. Cache:MaxTtlSeconds=0 to make every resolve read the store
          --store-stall MS:EVERY    that node's store freezes reads for MS ms at every EVERY-th read
                          (Store:StallMilliseconds and Store:StallEvery; implies --own-node)
          --ceiling       also start the bare ASP.NET Core / Grpc.AspNetCore app (loadtests/IdResolution.MinimalApp)
                          and measure each baseline against the same no-op there (ceiling-grpc, -http-get, -http-302)
        """;

    public static bool TryParse(IReadOnlyList<string> args, out HarnessOptions options, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = new([], new Uri("http://127.0.0.1:8080"), new Uri("http://127.0.0.1:8081"),
            Environment.GetEnvironmentVariable("IDRES_ADMIN_PASSWORD") ?? string.Empty, 32, null,
            TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), 10_000, true, Path.Combine("loadtests", "results"), false, []);
        error = string.Empty;
        var scenarios = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (arg == "all")
                {
                    scenarios.AddRange(Known.Where(name => name is not "seed" and not "resolve-cold" and not "federation" and not "resolve-redis"));
                }
                else if (Known.Contains(arg))
                {
                    scenarios.Add(arg);
                }
                else
                {
                    error = $"unknown scenario '{arg}'";
                    return false;
                }

                continue;
            }

            if (arg == "--no-seed")
            {
                options = options with { Seed = false };
                continue;
            }

            if (arg == "--ceiling")
            {
                options = options with { Ceiling = true };
                continue;
            }

            if (arg == "--own-node")
            {
                options = WithNodeSettings(options, []);
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{arg} needs a value";
                return false;
            }

            var value = args[++i];
            HarnessOptions? parsed = arg switch
            {
                "--target" when Uri.TryCreate(value, UriKind.Absolute, out var target) => options with { Target = target },
                "--grpc" when Uri.TryCreate(value, UriKind.Absolute, out var grpc) => options with { Grpc = grpc },
                "--password" => options with { Password = value },
                "--callers" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var callers) && callers > 0 => options with { Callers = callers },
                "--rate" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) && rate > 0 => options with { Rate = rate },
                "--seconds" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 => options with { Measured = TimeSpan.FromSeconds(seconds) },
                "--warmup" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var warmup) => options with { Warmup = TimeSpan.FromSeconds(warmup) },
                "--handles" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var handles) && handles is > 0 and <= 10_000_000 => options with { Handles = handles },
                "--results" => options with { Results = value },
                "--node-setting" when NodeSetting(value) is { } setting => WithNodeSettings(options, [setting]),
                "--store-stall" when StoreStall(value) is { } stall => WithNodeSettings(options, stall),
                _ => null,
            };
            if (parsed is null)
            {
                error = $"{arg} does not take '{value}'";
                return false;
            }

            options = parsed;
        }

        if (scenarios.Count == 0)
        {
            error = "name at least one scenario";
            return false;
        }

        if (scenarios.Contains("federation") && (scenarios.Count > 1 || options.OwnNode))
        {
            error = "federation runs on its own: it starts its own nodes instead of using --target";
            return false;
        }

        options = options with { Scenarios = scenarios, OwnNode = options.OwnNode || scenarios.Contains("resolve-redis") };
        return true;
    }

    /// <summary>The harness starts its own node, with <paramref name="settings"/> added to those given before.</summary>
    private static HarnessOptions WithNodeSettings(HarnessOptions options, IEnumerable<string> settings) =>
        options with { OwnNode = true, NodeSettings = [.. options.NodeSettings, .. settings] };

    /// <summary>KEY=VALUE as the node's command-line form (--KEY=VALUE), or null when it is not of that shape.</summary>
    private static string? NodeSetting(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && !value.StartsWith('-') ? "--" + value : null;
    }

    /// <summary>MS:EVERY as the two store settings, or null unless both are whole numbers in the node's ranges (1 to 60000 ms, at least 1).</summary>
    private static string[]? StoreStall(string value)
    {
        var parts = value.Split(':');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds is > 0 and <= 60_000
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var every) && every > 0
            ? [$"--Store:StallMilliseconds={milliseconds}", $"--Store:StallEvery={every}"]
            : null;
    }
}

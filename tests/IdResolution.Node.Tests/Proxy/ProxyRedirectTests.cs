using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IdResolution.Node.Tests.Proxy;

/// <summary>Proxy-style resolution, <c>GET /{handle}</c>, as browsers and hdl.handle.net clients use it.</summary>
public sealed class ProxyRedirectTests : IClassFixture<NodeFactory>
{
    private readonly NodeFactory _factory;
    private readonly HttpClient _http;

    public ProxyRedirectTests(NodeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        _http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    [Fact]
    public async Task The_first_value_of_type_exactly_url_is_the_target_with_a_302()
    {
        await Create("88.709.930/first",
            Values.Text(1, "URL.en", "https://sub.test/en"),
            Values.Text(2, "EMAIL", "ops@first.test"),
            Values.Text(3, "url", "https://exact.test/a"),
            Values.Url(4, "https://exact.test/b"));

        var response = await _http.GetAsync("/88.709.930/first");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://exact.test/a", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_url_subtype_is_used_when_there_is_no_url_value()
    {
        await Create("88.709.930/subtype", Values.Text(1, "EMAIL", "x@s.test"), Values.Text(2, "URL.ja", "https://sub.test/ja"), Values.Text(3, "URL.en", "https://sub.test/en"));

        var response = await _http.GetAsync("/88.709.930/subtype");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://sub.test/ja", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Http_1_0_clients_get_a_302_too()
    {
        await Create("88.709.930/http10", Values.Url(1, "https://old.test/"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/88.709.930/http10") { Version = HttpVersion.Version10 };
        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://old.test/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Without_a_url_value_the_values_are_shown()
    {
        await Create("88.709.930/no-url", Values.Text(1, "EMAIL", "ops@nourl.test"), Values.Text(2, "DESC", "a pump"));

        var response = await _http.GetAsync("/88.709.930/no-url");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<title>Handle 88.709.930/no-url</title>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">Type</th>", html, StringComparison.Ordinal);
        Assert.Contains("ops@nourl.test", html, StringComparison.Ordinal);
        Assert.Contains("a pump", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'", Single(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task An_alias_chain_of_three_is_followed_hop_by_hop_with_301s()
    {
        await Create("88.709.931/end", Values.Url(1, "https://end.test/product"));
        await Create("88.709.931/c", Values.Text(1, "HS_ALIAS", "88.709.931/end"));
        await Create("88.709.931/b", Values.Text(1, "HS_ALIAS", "88.709.931/c"));
        await Create("88.709.931/a", Values.Text(1, "HS_ALIAS", "88.709.931/b"), Values.Url(2, "https://not-used.test/"));

        var path = "/88.709.931/a?urlappend=%3Fq%3D1";
        var hops = new List<string>();
        HttpResponseMessage response;
        while ((response = await _http.GetAsync(path)).StatusCode == HttpStatusCode.MovedPermanently)
        {
            path = response.Headers.Location!.OriginalString;
            hops.Add(path);
            Assert.True(hops.Count <= 3, "more hops than aliases");
        }

        Assert.Equal(["/88.709.931/b?urlappend=%3Fq%3D1", "/88.709.931/c?urlappend=%3Fq%3D1", "/88.709.931/end?urlappend=%3Fq%3D1"], hops);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://end.test/product?q=1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_alias_loop_is_stopped_with_a_508_page_and_no_redirect()
    {
        await Create("88.709.932/x", Values.Text(1, "HS_ALIAS", "88.709.932/y"));
        await Create("88.709.932/y", Values.Text(1, "HS_ALIAS", "88.709.932/z"));
        await Create("88.709.932/z", Values.Text(1, "HS_ALIAS", "88.709.932/X"));

        var response = await _http.GetAsync("/88.709.932/x");

        Assert.Equal((HttpStatusCode)508, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Alias Loop</title>", html, StringComparison.Ordinal);
        Assert.Contains("lead back to [88.709.932/x]", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alias_chain_longer_than_20_is_stopped()
    {
        for (var i = 0; i < 22; i++)
        {
            await Create($"88.709.933/h{i}", Values.Text(1, "HS_ALIAS", $"88.709.933/h{i + 1}"));
        }

        await Create("88.709.933/h22", Values.Url(1, "https://far.test/"));

        var tooLong = await _http.GetAsync("/88.709.933/h0");
        Assert.Equal((HttpStatusCode)508, tooLong.StatusCode);
        Assert.Contains("more than 20 handles", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var twenty = await _http.GetAsync("/88.709.933/h2");
        Assert.Equal(HttpStatusCode.MovedPermanently, twenty.StatusCode);
        Assert.Equal("/88.709.933/h3", twenty.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("?noredirect")]
    [InlineData("?noredirect=true")]
    [InlineData("?action=showvalues")]
    public async Task Noredirect_shows_the_values_as_html(string query)
    {
        await Create("88.709.934/show", Values.Url(1, "https://show.test/"), Values.Text(2, "EMAIL", "s@show.test"));

        var response = await _http.GetAsync("/88.709.934/show" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("https://show.test/", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">2</th><td>EMAIL</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Noredirect_with_accept_json_answers_handle_net_json()
    {
        await Create("88.709.934/json", Values.Url(1, "https://json.test/"), Values.Text(2, "EMAIL", "j@json.test", ttl: 600));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/88.709.934/json?noredirect");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal(1, root.GetProperty("responseCode").GetInt32());
        Assert.Equal("88.709.934/json", root.GetProperty("handle").GetString());
        var values = root.GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(2, values.Count);
        Assert.Equal("URL", values[0].GetProperty("type").GetString());
        Assert.Equal("string", values[0].GetProperty("data").GetProperty("format").GetString());
        Assert.Equal("https://json.test/", values[0].GetProperty("data").GetProperty("value").GetString());
        Assert.Equal(86400, values[0].GetProperty("ttl").GetInt32());
        Assert.Equal(600, values[1].GetProperty("ttl").GetInt32());
    }

    [Fact]
    public async Task A_handle_without_url_values_answers_json_when_asked()
    {
        await Create("88.709.934/json-no-url", Values.Text(1, "EMAIL", "n@json.test"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/88.709.934/json-no-url");
        request.Headers.Accept.ParseAdd("application/json");
        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("n@json.test", body.RootElement.GetProperty("values")[0].GetProperty("data").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Urlappend_is_appended_to_the_target()
    {
        await Create("88.709.935/append", Values.Url(1, "https://append.test/doc"));

        var response = await _http.GetAsync("/88.709.935/append?urlappend=%23page%3D2");

        Assert.Equal("https://append.test/doc#page=2", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Line_breaks_in_urlappend_cannot_add_headers()
    {
        await Create("88.709.935/crlf", Values.Url(1, "https://crlf.test/"));

        var response = await _http.GetAsync("/88.709.935/crlf?urlappend=%0D%0ASet-Cookie:%20a=b");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://crlf.test/%0D%0ASet-Cookie:%20a=b", response.Headers.Location?.OriginalString);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_url_without_public_read_redirects_only_callers_allowed_to_read_it()
    {
        var hidden = Values.Url(1, "https://private.test/");
        hidden.Permissions = "1100";
        await Create("88.709.935/private", hidden, Values.Text(2, "DESC", "public part"));

        var anonymous = await _http.GetAsync("/88.709.935/private");
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        var page = await anonymous.Content.ReadAsStringAsync();
        Assert.Contains("public part", page, StringComparison.Ordinal);
        Assert.DoesNotContain("private.test", page, StringComparison.Ordinal);

        var administrator = await _factory.CreateClientFor(_factory.AdminToken).GetAsync("/88.709.935/private");
        Assert.Equal(HttpStatusCode.Found, administrator.StatusCode);
        Assert.Equal("https://private.test/", administrator.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Expires_and_max_age_come_from_a_relative_ttl()
    {
        await Create("88.709.936/relative", Values.Text(1, "URL", "https://ttl.test/", ttl: 600));

        var before = DateTimeOffset.UtcNow;
        var response = await _http.GetAsync("/88.709.936/relative");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(600), response.Headers.CacheControl?.MaxAge);
        var expires = response.Content.Headers.Expires ?? DateTimeOffset.Parse(Single(response, "Expires"), CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddSeconds(599), DateTimeOffset.UtcNow.AddSeconds(601));
    }

    [Fact]
    public async Task Expires_honours_an_absolute_ttl()
    {
        var at = DateTimeOffset.UtcNow.AddHours(2);
        var value = Values.Url(1, "https://abs.test/");
        value.TtlExpiresAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, at.Second, TimeSpan.Zero));
        await Create("88.709.936/absolute", value);

        var response = await _http.GetAsync("/88.709.936/absolute");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var maxAge = response.Headers.CacheControl?.MaxAge?.TotalSeconds ?? -1;
        Assert.InRange(maxAge, 7000, 7200);
        var expires = DateTimeOffset.Parse(Single(response, "Expires"), CultureInfo.InvariantCulture);
        Assert.InRange(expires, at.AddSeconds(-2), at.AddSeconds(1));
    }

    [Theory]
    [InlineData("/88.709.937/ABC-0001")]
    [InlineData("/88.709.937%2FABC-0001")]
    [InlineData("/88.709.937%2fabc-0001")]
    [InlineData("/88%2E709%2E937%2FABC%2D0001")]
    public async Task Raw_and_percent_encoded_handles_resolve(string path)
    {
        await Create("88.709.937/ABC-0001", Values.Url(1, "https://enc.test/abc"));

        var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://enc.test/abc", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Non_ascii_suffixes_resolve_and_redirect_to_ascii_locations()
    {
        await Create("88.709.938/产品-001", Values.Url(1, "https://cn.test/产品?x=1"));
        await Create("88.709.938/别名", Values.Text(1, "HS_ALIAS", "88.709.938/产品-001"));

        var direct = await _http.GetAsync("/88.709.938/%E4%BA%A7%E5%93%81-001");
        Assert.Equal(HttpStatusCode.Found, direct.StatusCode);
        Assert.Equal("https://cn.test/%E4%BA%A7%E5%93%81?x=1", direct.Headers.Location?.OriginalString);

        var alias = await _http.GetAsync("/88.709.938%2F%E5%88%AB%E5%90%8D");
        Assert.Equal(HttpStatusCode.MovedPermanently, alias.StatusCode);
        Assert.Equal("/88.709.938/%E4%BA%A7%E5%93%81-001", alias.Headers.Location?.OriginalString);

        var page = await (await _http.GetAsync("/88.709.938/产品-001?noredirect")).Content.ReadAsStringAsync();
        Assert.Contains("88.709.938/产品-001", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unregistered_handle_under_a_held_prefix_is_a_404_not_found_page()
    {
        var response = await _http.GetAsync("/88.709.939/absent");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Not Found</title>", html, StringComparison.Ordinal);
        Assert.Contains("Handle [88.709.939/absent] Not Found", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prefix_the_node_does_not_hold_is_a_404_naming_the_prefix()
    {
        var response = await _http.GetAsync("/99.1234/anything");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Prefix [99.1234] Not Found</title>", html, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/99.1234/anything");
        request.Headers.Accept.ParseAdd("application/json");
        var json = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
        using var body = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        Assert.Equal(100, body.RootElement.GetProperty("responseCode").GetInt32());
    }

    [Fact]
    public async Task A_site_value_is_shown_decoded_on_the_values_page()
    {
        var site = new SiteValue { ProtocolVersion = "2.10", SerialNumber = 3, PrimarySite = true };
        site.Attributes.Add(new SiteAttribute { Name = "grpc", Value = "https://node.test:8001" });
        site.Servers.Add(new SiteServer { ServerId = 1, Address = "127.0.0.1", Interfaces = { new SiteInterface { Query = true, Protocol = "TCP", Port = 2641 } } });
        await Create("88.709.942/site", new HandleValue { Index = 1, Type = "HS_SITE", Data = new ValueData { Site = site } });

        var html = await _http.GetStringAsync(new Uri("/88.709.942/site?noredirect", UriKind.Relative));

        Assert.Contains("site serial 3, primary; servers: 1@127.0.0.1 TCP/2641; grpc=https://node.test:8001", html, StringComparison.Ordinal);
        Assert.DoesNotContain("base64:", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/no-slash-here")]
    [InlineData("/88..709/empty-segment")]
    [InlineData("/88.709.911/%01control")]
    public async Task An_invalid_handle_is_a_400_page(string path)
    {
        var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<title>Invalid Handle</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markup_in_values_and_in_the_handle_is_encoded()
    {
        await Create("88.709.940/<b>x</b>", Values.Text(1, "DESC", "<script>alert(1)</script>"), Values.Text(2, "<img/src=x/onerror=alert(2)>", "\"quoted\" & 'single'"));

        var page = await (await _http.GetAsync("/88.709.940/%3Cb%3Ex%3C%2Fb%3E?noredirect")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;", page, StringComparison.Ordinal);

        var missing = await _http.GetAsync("/88.709.940/%3Cscript%3Ealert(3)%3C%2Fscript%3E");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var notFound = await missing.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", notFound, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(3)&lt;/script&gt;", notFound, StringComparison.Ordinal);

        var unknownPrefix = await (await _http.GetAsync("/%3Cscript%3E/x")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", unknownPrefix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Existing_routes_keep_precedence()
    {
        await Create("88.709.941/native", Values.Url(1, "https://native.test/"));

        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/readyz")).StatusCode);
        var metrics = await _http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Null(metrics.Headers.Location);

        var native = await _http.GetAsync("/v1/handles/88.709.941/native");
        Assert.Equal(HttpStatusCode.OK, native.StatusCode);
        using var body = JsonDocument.Parse(await native.Content.ReadAsStringAsync());
        Assert.Equal("88.709.941/native", body.RootElement.GetProperty("handle").GetString());

        // Paths of other surfaces are never taken for handles, even when nothing else answers them.
        foreach (var path in new[] { "/v1/no-such-route", "/api/no-such-route", "/identity/token" })
        {
            var response = await _http.GetAsync(path);
            Assert.Null(response.Headers.Location);
            Assert.False(response.Headers.Contains("Content-Security-Policy"), path);
        }
    }

    private async Task Create(string handle, params HandleValue[] values) =>
        await _factory.Registry.CreateHandleAsync(Values.Create(handle, values));

    private static string Single(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) || response.Content.Headers.TryGetValues(header, out values)
            ? values.Single()
            : throw new Xunit.Sdk.XunitException($"no {header} header");
}

using System.Reflection;
using System.Runtime.InteropServices;
using Google.Protobuf.Reflection;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>
/// proto/ compiles on its own, as a client in another language compiles it: with proto/ as the only
/// import path, every google/* file the contracts import (and the google.rpc error model clients
/// decode details with) must be vendored there.
/// </summary>
public sealed class ProtoContractTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_contracts_compile_with_proto_as_the_only_import_path()
    {
        using var output = new TempDirectory();
        var descriptorSet = Path.Combine(output.Path, "contracts.pb");
        // The error model is not imported by the contracts but clients need it to read error details.
        var inputs = ProtoFiles("idresolution/v1").Concat(["proto/google/rpc/status.proto", "proto/google/rpc/error_details.proto", "proto/google/rpc/code.proto"]);

        var run = await ExternalTool.RunAsync(Protoc(), ["-I", "proto", "--include_imports", "--descriptor_set_out=" + descriptorSet, .. inputs], Repository.Root, Deadline);

        Assert.True(run.ExitCode == 0, "protoc -I proto failed: " + run.Text);
        var files = FileDescriptorSet.Parser.ParseFrom(await File.ReadAllBytesAsync(descriptorSet)).File;
        foreach (var served in new[] { Resolution.Descriptor, Registry.Descriptor, Administration.Descriptor })
        {
            var compiled = files.Where(f => f.Package == served.File.Package).SelectMany(f => f.Service).SingleOrDefault(s => s.Name == served.Name);
            Assert.True(compiled is not null, served.FullName + " is missing from the compiled contracts");
            Assert.Equal(served.Methods.Select(m => m.Name), compiled.Method.Select(m => m.Name));
        }

        var errorModel = files.Where(f => f.Package == "google.rpc").SelectMany(f => f.MessageType).Select(m => m.Name).ToList();
        Assert.Contains("Status", errorModel);
        Assert.Contains("ErrorInfo", errorModel);
    }

    /// <summary>
    /// The test above proves the vendored files only if this protoc finds nothing by itself (protoc adds
    /// an include directory next to its binary when there is one).
    /// </summary>
    [Fact]
    public async Task The_protoc_used_has_no_import_path_of_its_own()
    {
        using var source = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(source.Path, "probe.proto"), """
            syntax = "proto3";
            import "google/protobuf/timestamp.proto";
            message Probe { google.protobuf.Timestamp at = 1; }
            """);

        var run = await ExternalTool.RunAsync(Protoc(), ["-I", ".", "--descriptor_set_out=probe.pb", "probe.proto"], source.Path, Deadline);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("google/protobuf/timestamp.proto: File not found", run.Text, StringComparison.Ordinal);
    }

    private static IEnumerable<string> ProtoFiles(string folder) =>
        Directory.GetFiles(Path.Combine(Repository.Root, "proto", folder), "*.proto")
            .Select(file => Path.GetRelativePath(Repository.Root, file))
            .Order(StringComparer.Ordinal);

    /// <summary>The protoc shipped in the Grpc.Tools package this repository builds with (its folder is passed in by the project file).</summary>
    private static string Protoc()
    {
        var package = typeof(ProtoContractTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "GrpcToolsPath").Value;
        Assert.False(string.IsNullOrEmpty(package), "the project file passes no Grpc.Tools package folder");
        var platform = (OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macosx" : "linux")
            + (OperatingSystem.IsMacOS() ? "_universal" : "_" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant());
        var protoc = Path.Combine(package, "tools", platform, OperatingSystem.IsWindows() ? "protoc.exe" : "protoc");
        Assert.True(File.Exists(protoc), "no protoc at " + protoc);
        return protoc;
    }
}

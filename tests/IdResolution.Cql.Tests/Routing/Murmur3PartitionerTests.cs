using System.Text;
using IdResolution.Cql.Routing;

namespace IdResolution.Cql.Tests.Routing;

public sealed class Murmur3PartitionerTests
{
    // Checked against token() on a real Cassandra 4.0 node (docs/cql-protocol.md §1.9).
    [Theory]
    [InlineData("doi:10.1/abc", 6397705276757238691L)]
    [InlineData("ü/é", 7109904618616434970L)]
    public void Text_keys_get_the_servers_tokens(string key, long expected)
    {
        Assert.Equal(expected, Murmur3Partitioner.GetToken(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void The_non_ascii_vector_is_the_bytes_the_server_hashed()
    {
        Assert.Equal(7109904618616434970L, Murmur3Partitioner.GetToken(Convert.FromHexString("c3bc2fc3a9")));
    }

    [Fact]
    public void A_composite_key_of_text_and_int_gets_the_servers_token()
    {
        var key = PartitionKey.Composite(Encoding.UTF8.GetBytes("doi:10.1"), new byte[] { 0, 0, 0, 0 });

        Assert.Equal(-4838319351894709766L, Murmur3Partitioner.GetToken(key));
    }

    // From the Python driver's murmur3 (docs/cql-protocol.md §1.9), not from a server.
    [Fact]
    public void Hello_matches_the_python_driver()
    {
        Assert.Equal(-3758069500696749310L, Murmur3Partitioner.GetToken("hello"u8));
    }

    // ASCII only, so the sign-extension quirk cannot show: this is the widely published reference
    // MurmurHash3_x64_128 value (first half 0xe34bbc7bbc071b6c) and covers two blocks plus an 11-byte tail.
    [Fact]
    public void An_ascii_key_of_several_blocks_matches_reference_murmur3()
    {
        Assert.Equal(
            unchecked((long)0xe34bbc7bbc071b6cUL),
            Murmur3Partitioner.GetToken("The quick brown fox jumps over the lazy dog"u8));
    }

    [Fact]
    public void The_empty_key_gets_the_minimum_token_as_on_the_server()
    {
        Assert.Equal(long.MinValue, Murmur3Partitioner.GetToken([]));
    }

    [Fact]
    public void Hashing_nothing_with_seed_zero_is_zero()
    {
        Assert.Equal(0L, Murmur3Partitioner.Hash3X64128First([]));
    }

    // Keys 80 9f be dd ... (each byte 31 more than the last), every one ≥ 0x80 or mixed, so every tail
    // length exercises the sign extension. Expected values come from a line-by-line Python transliteration
    // of Cassandra's MurmurHash.hash3_x64_128 that reproduces all the server-checked vectors above.
    [Theory]
    [InlineData(1, -5284281814142962636L)]
    [InlineData(2, -2481800401200925074L)]
    [InlineData(3, 84579775184410869L)]
    [InlineData(4, 1911325632803084647L)]
    [InlineData(5, -1858302838132372651L)]
    [InlineData(6, -362682562416279942L)]
    [InlineData(7, -7107713406426435452L)]
    [InlineData(8, 4503782127833064747L)]
    [InlineData(9, -2082111237789703828L)]
    [InlineData(10, -3937314023514449431L)]
    [InlineData(11, 4425790697995369344L)]
    [InlineData(12, -6706920647925604265L)]
    [InlineData(13, 8534045992974415425L)]
    [InlineData(14, 785768328532347969L)]
    [InlineData(15, -5967384911201901422L)]
    [InlineData(16, 6556807855145820914L)]
    [InlineData(17, -3527412573335480364L)]
    public void Every_tail_length_sign_extends_high_bytes(int length, long expected)
    {
        var key = new byte[length];
        for (var i = 0; i < length; i++)
        {
            key[i] = unchecked((byte)(0x80 + (31 * i)));
        }

        Assert.Equal(expected, Murmur3Partitioner.GetToken(key));
    }

    [Fact]
    public void A_key_of_two_blocks_and_a_tail_of_high_bytes_matches_the_transliteration()
    {
        var key = new byte[33];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(0x80 + i);
        }

        Assert.Equal(-7660497021261453191L, Murmur3Partitioner.GetToken(key));
    }

    [Fact]
    public void The_minimum_hash_is_normalized_to_the_maximum_token()
    {
        Assert.Equal(long.MaxValue, Murmur3Partitioner.Normalize(long.MinValue));
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue + 1)]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Other_hashes_are_their_own_tokens(long hash)
    {
        Assert.Equal(hash, Murmur3Partitioner.Normalize(hash));
    }
}

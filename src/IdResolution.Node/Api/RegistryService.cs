using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core;
using IdResolution.Core.Registration;
using IdResolution.Federation.Mapping;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.Security;

namespace IdResolution.Node.Api;

/// <summary>The registration surface over gRPC (and HTTP/JSON): translation only; the rules live in <see cref="Registrar"/>.</summary>
internal sealed partial class RegistryService(Registrar registrar) : Registry.RegistryBase
{
    public override async Task<WriteResponse> CreateHandle(CreateHandleRequest request, ServerCallContext context)
    {
        var values = Values(request.Values);
        var outcome = await registrar.CreateAsync(context.ToCaller(), new CreateRequest(request.Handle, values, request.Overwrite), context.CancellationToken);
        return Reply(outcome, request.Handle);
    }

    public override async Task<WriteResponse> DeleteHandle(DeleteHandleRequest request, ServerCallContext context) =>
        Reply(await registrar.DeleteAsync(context.ToCaller(), request.Handle, context.CancellationToken), request.Handle);

    public override async Task<WriteResponse> AddValues(ValuesRequest request, ServerCallContext context) =>
        Reply(await registrar.AddValuesAsync(context.ToCaller(), request.Handle, Values(request.Values), context.CancellationToken), request.Handle);

    public override async Task<WriteResponse> ModifyValues(ValuesRequest request, ServerCallContext context) =>
        Reply(await registrar.ModifyValuesAsync(context.ToCaller(), request.Handle, Values(request.Values), context.CancellationToken), request.Handle);

    public override async Task<WriteResponse> RemoveValues(RemoveValuesRequest request, ServerCallContext context)
    {
        var indexes = ContractValues.ToIndexes(request.Indexes);
        if (!indexes.IsSuccess)
        {
            throw HandleStatus.ToException(indexes, request.Handle);
        }

        return Reply(await registrar.RemoveValuesAsync(context.ToCaller(), request.Handle, indexes.Value, context.CancellationToken), request.Handle);
    }

    public override Task<BatchWriteResponse> BatchCreate(BatchCreateRequest request, ServerCallContext context) =>
        BatchAsync(request.Items, item => item.Handle, item =>
        {
            var values = ContractValues.ToCore(item.Values);
            return values.IsSuccess ? Outcome<CreateRequest>.Ok(new CreateRequest(item.Handle, values.Value, item.Overwrite)) : values.Cast<CreateRequest>();
        }, pending => registrar.CreateBatchAsync(context.ToCaller(), pending, context.CancellationToken));

    public override Task<BatchWriteResponse> BatchUpdate(BatchUpdateRequest request, ServerCallContext context) =>
        BatchAsync(request.Items, item => item.Handle, item =>
        {
            var values = ContractValues.ToCore(item.Values);
            var indexes = ContractValues.ToIndexes(item.RemoveIndexes);
            return !values.IsSuccess ? values.Cast<UpdateRequest>()
                : !indexes.IsSuccess ? indexes.Cast<UpdateRequest>()
                : Outcome<UpdateRequest>.Ok(new UpdateRequest(item.Handle, values.Value, indexes.Value));
        }, pending => registrar.UpdateBatchAsync(context.ToCaller(), pending, context.CancellationToken));

    public override async Task<BatchWriteResponse> BatchDelete(BatchDeleteRequest request, ServerCallContext context)
    {
        CheckBatch(request.Handles.Count);
        var results = await registrar.DeleteBatchAsync(context.ToCaller(), request.Handles, context.CancellationToken);
        return BatchReply(request.Handles, results);
    }

    public override async Task<ListHandlesResponse> ListHandles(ListHandlesRequest request, ServerCallContext context)
    {
        var pageSize = request.PageSize > int.MaxValue ? int.MaxValue : (int)request.PageSize;
        var outcome = await registrar.ListAsync(context.ToCaller(), request.Prefix, pageSize, request.PageToken, context.CancellationToken);
        if (!outcome.IsSuccess)
        {
            throw HandleStatus.ToException(outcome);
        }

        var response = new ListHandlesResponse { Prefix = outcome.Value.Prefix, NextPageToken = outcome.Value.NextPageToken ?? string.Empty };
        response.Handles.AddRange(outcome.Value.Handles);
        return response;
    }

    private void CheckBatch(int count)
    {
        if (registrar.CheckBatchSize(count) is { } refusal)
        {
            throw HandleStatus.ToException(refusal);
        }
    }

    private static IReadOnlyList<Core.Records.HandleValue> Values(IReadOnlyList<Contracts.V1.HandleValue> values)
    {
        var outcome = ContractValues.ToCore(values);
        return outcome.IsSuccess ? outcome.Value : throw HandleStatus.ToException(outcome);
    }

    private static WriteResponse Reply(Outcome<WriteReceipt> outcome, string requested)
    {
        if (!outcome.IsSuccess)
        {
            throw HandleStatus.ToException(outcome, requested);
        }

        var receipt = outcome.Value;
        var response = new WriteResponse
        {
            Handle = receipt.Record?.Handle ?? receipt.Handle.Text,
            ResponseCode = (int)HandleResponseCode.Success,
            Created = receipt.Created,
        };
        if (receipt.Record is not null)
        {
            ContractValues.AddTo(response.Values, receipt.Record.Values);
        }

        return response;
    }

    /// <summary>
    /// Translates every item; the ones that cannot even be translated are refused in place, the rest go
    /// to the registrar together, and the answers come back in request order.
    /// </summary>
    private async Task<BatchWriteResponse> BatchAsync<TItem, TRequest>(IReadOnlyList<TItem> items, Func<TItem, string> handleOf,
        Func<TItem, Outcome<TRequest>> translate, Func<IReadOnlyList<TRequest>, ValueTask<IReadOnlyList<Outcome<WriteReceipt>>>> write)
    {
        CheckBatch(items.Count);
        var translated = items.Select(translate).ToList();
        var pending = translated.Where(t => t.IsSuccess).Select(t => t.Value!).ToList();
        var written = await write(pending);
        var results = new Outcome<WriteReceipt>[items.Count];
        var next = 0;
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = translated[i].IsSuccess ? written[next++] : translated[i].Cast<WriteReceipt>();
        }

        return BatchReply([.. items.Select(handleOf)], results);
    }

    private static BatchWriteResponse BatchReply(IReadOnlyList<string> handles, IReadOnlyList<Outcome<WriteReceipt>> results)
    {
        var response = new BatchWriteResponse();
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            response.Results.Add(new ItemResult
            {
                Handle = result.IsSuccess ? result.Value.Handle.Text : handles[i],
                ResponseCode = (int)result.Code,
                Message = result.Message,
                Created = result.IsSuccess && result.Value.Created,
            });
            if (result.IsSuccess)
            {
                response.Succeeded++;
            }
            else
            {
                response.Failed++;
            }
        }

        return response;
    }
}

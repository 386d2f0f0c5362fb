namespace IdResolution.Cql.Connections;

/// <summary>
/// The free stream ids of one connection. When none is free, callers queue in arrival order and a released
/// id is handed straight to the oldest waiter still waiting: back-pressure instead of an error.
/// </summary>
internal sealed class StreamIdPool
{
    private readonly Lock _gate = new();
    private readonly Stack<short> _free;
    private readonly LinkedList<TaskCompletionSource<short>> _waiters = new();
    private Exception? _closedWith;

    public StreamIdPool(int size)
    {
        _free = new Stack<short>(size);

        // Pushed in reverse so id 0 is handed out first, which keeps ids small and traces readable.
        for (var id = size - 1; id >= 0; id--)
        {
            _free.Push((short)id);
        }
    }

    public int Available
    {
        get
        {
            lock (_gate)
            {
                return _free.Count;
            }
        }
    }

    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    public ValueTask<short> AcquireAsync(CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource<short>> node;
        lock (_gate)
        {
            if (_closedWith is not null)
            {
                return ValueTask.FromException<short>(_closedWith);
            }

            if (_free.TryPop(out var id))
            {
                return ValueTask.FromResult(id);
            }

            cancellationToken.ThrowIfCancellationRequested();
            node = _waiters.AddLast(new TaskCompletionSource<short>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        return WaitAsync(node, cancellationToken);
    }

    public void Release(short id)
    {
        TaskCompletionSource<short>? waiter;
        lock (_gate)
        {
            if (_closedWith is not null)
            {
                return;
            }

            if (_waiters.First is not { } first)
            {
                _free.Push(id);
                return;
            }

            _waiters.RemoveFirst();
            waiter = first.Value;
        }

        // Outside the lock: a waiter is removed from the list before it is cancelled, so this cannot fail.
        waiter.SetResult(id);
    }

    /// <summary>Fails every waiter, and every later acquire, with <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        List<TaskCompletionSource<short>> waiters;
        lock (_gate)
        {
            if (_closedWith is not null)
            {
                return;
            }

            _closedWith = reason;
            waiters = [.. _waiters];
            _waiters.Clear();
            _free.Clear();
        }

        foreach (var waiter in waiters)
        {
            waiter.SetException(reason);
        }
    }

    private async ValueTask<short> WaitAsync(LinkedListNode<TaskCompletionSource<short>> node, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                // Still listed means no id was handed over; once removed, Release or Close owns the completion.
                if (node.List is null)
                {
                    return;
                }

                _waiters.Remove(node);
            }

            node.Value.SetCanceled(cancellationToken);
        });

        return await node.Value.Task;
    }
}

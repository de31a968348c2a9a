%% The workloads of examples/bench written in Erlang, for scripts/bench-vs-erlang. Each prints
%% exactly the result line its Lua twin prints, and the VM halts.
%%
%%   erlc bench.erl && erl +S 2 -noshell -run bench main ring 1000 1000000
-module(bench).
-behaviour(supervisor).

-export([main/1]).
-export([init/1, crasher_start/3]).

main([Name | Args]) ->
    try
        run(Name, [list_to_integer(A) || A <- Args]),
        halt(0)
    catch
        Class:Reason:Stack ->
            io:format(standard_error, "bench ~s failed: ~p:~p~n~p~n", [Name, Class, Reason, Stack]),
            halt(1)
    end.

run("skynet", A) -> skynet(arg(A, 1, 1000000));
run("spawn_idle", A) -> spawn_idle(arg(A, 1, 100000));
run("ring", A) -> ring(arg(A, 1, 1000), arg(A, 2, 1000000));
run("pingpong", A) -> pingpong(arg(A, 1, 1000), arg(A, 2, 1000));
run("restart", A) -> restart(arg(A, 1, 10000));
run("preempt", A) -> preempt(arg(A, 1, 1000));
run(Other, _) -> error({unknown_workload, Other}).

arg(Args, I, _Default) when length(Args) >= I -> lists:nth(I, Args);
arg(_, _, Default) -> Default.

now_ns() -> erlang:monotonic_time(nanosecond).

ms_since(T0) -> (now_ns() - T0) / 1.0e6.

%% "%.Nf" as Lua's string.format prints it.
f(X, Decimals) -> float_to_list(float(X), [{decimals, Decimals}]).

out(Format, Args) -> io:put_chars(lists:flatten(io_lib:format(Format, Args)) ++ "\n").

%% skynet: every node spawns 10 children until a node stands for a single leaf; leaves reply
%% their ordinal, every parent replies the sum of its 10 replies.
skynet(N) ->
    T0 = now_ns(),
    Root = self(),
    spawn(fun() -> skynet_node(Root, 0, N) end),
    Sum = receive {r, S} -> S end,
    out("skynet N=~b sum=~b elapsed_ms=~s", [N, Sum, f(ms_since(T0), 1)]).

skynet_node(Parent, Num, 1) ->
    Parent ! {r, Num};
skynet_node(Parent, Num, Size) ->
    Me = self(),
    Sub = Size div 10,
    [spawn(fun() -> skynet_node(Me, Num + I * Sub, Sub) end) || I <- lists:seq(0, 9)],
    Parent ! {r, skynet_collect(10, 0)}.

skynet_collect(0, Sum) -> Sum;
skynet_collect(K, Sum) -> receive {r, S} -> skynet_collect(K - 1, Sum + S) end.

%% spawn_idle: spawn N processes that each report and block on their inbox; the rate until all
%% have reported, and the memory each adds. Memory is erlang:memory(processes), the bytes the VM
%% holds for processes (heap, stack, control block), not RSS: Erlang's allocators keep carriers
%% around, so an RSS delta says more about them than about a process.
spawn_idle(N) ->
    Root = self(),
    Mem0 = erlang:memory(processes),
    T0 = now_ns(),
    Pids = [spawn(fun() -> Root ! up, receive stop -> ok end end) || _ <- lists:seq(1, N)],
    wait_n(up, N),
    Secs = (now_ns() - T0) / 1.0e9,
    Mem1 = erlang:memory(processes),
    out("spawn_idle N=~b spawn_per_s=~s rss_bytes_per_proc=~s", [N, f(N / Secs, 0), f((Mem1 - Mem0) / N, 0)]),
    [P ! stop || P <- Pids],
    ok.

wait_n(_, 0) -> ok;
wait_n(Msg, K) -> receive Msg -> wait_n(Msg, K - 1) end.

%% ring: N processes in a ring pass one token HOPS times.
ring(N, Hops) ->
    Root = self(),
    Pids = [spawn(fun() -> ring_start(Root) end) || _ <- lists:seq(1, N)],
    [P ! {next, Next} || {P, Next} <- lists:zip(Pids, tl(Pids) ++ [hd(Pids)])],
    T0 = now_ns(),
    hd(Pids) ! Hops,
    receive done -> ok end,
    Ms = ms_since(T0),
    out("ring N=~b hops=~b elapsed_ms=~s hops_per_s=~s", [N, Hops, f(Ms, 1), f(Hops / (Ms / 1000), 0)]),
    [exit(P, kill) || P <- Pids],
    ok.

ring_start(Root) ->
    receive {next, Next} -> ring_node(Root, Next) end.

ring_node(Root, Next) ->
    receive
        0 -> Root ! done;
        Hops -> Next ! Hops - 1, ring_node(Root, Next)
    end.

%% pingpong: PAIRS pairs exchange ROUNDS round trips each, all at once.
pingpong(Pairs, Rounds) ->
    Root = self(),
    Pingers = [begin
                   Ponger = spawn(fun ponger/0),
                   spawn(fun() -> receive go -> pinger(Root, Ponger, Rounds) end end)
               end || _ <- lists:seq(1, Pairs)],
    T0 = now_ns(),
    [P ! go || P <- Pingers],
    wait_n(done, Pairs),
    Ms = ms_since(T0),
    Msgs = Pairs * Rounds * 2,
    out("pingpong pairs=~b msgs=~b elapsed_ms=~s msgs_per_s=~s", [Pairs, Msgs, f(Ms, 1), f(Msgs / (Ms / 1000), 0)]).

ponger() ->
    receive
        {ping, From, I} -> From ! {pong, I}, ponger();
        stop -> ok
    end.

pinger(Root, Partner, 0) ->
    Partner ! stop,
    Root ! done;
pinger(Root, Partner, I) ->
    Partner ! {ping, self(), I},
    receive {pong, _} -> pinger(Root, Partner, I - 1) end.

%% restart: an OTP supervisor (one_for_one, intensity above N) restarts a child that crashes as
%% soon as it starts. The child's start function counts starts; the one after the Nth restart
%% reports to the driver and returns `ignore`, which ends the crashing. Supervisor reports are
%% logged at error level: the logger is off (level none) so they are neither built nor printed,
%% as wippy drops its debug-level report of a watched crash.
restart(N) ->
    logger:set_primary_config(level, none),
    process_flag(trap_exit, true),
    Counter = counters:new(1, []),
    T0 = now_ns(),
    {ok, Sup} = supervisor:start_link(?MODULE, {Counter, N, self()}),
    Restarts = receive {restarted, R} -> R end,
    Ms = ms_since(T0),
    out("restart n=~b elapsed_ms=~s restarts_per_s=~s", [Restarts, f(Ms, 1), f(Restarts / (Ms / 1000), 0)]),
    unlink(Sup),
    exit(Sup, shutdown),
    ok.

init({Counter, N, Driver}) ->
    Flags = #{strategy => one_for_one, intensity => N + 10, period => 1},
    Child = #{id => crasher, start => {?MODULE, crasher_start, [Counter, N, Driver]}, restart => permanent},
    {ok, {Flags, [Child]}}.

crasher_start(Counter, N, Driver) ->
    counters:add(Counter, 1, 1),
    case counters:get(Counter, 1) of
        Starts when Starts > N + 1 ->
            Driver ! {restarted, Starts - 2},
            ignore;
        _ ->
            {ok, spawn_link(fun() -> exit(crash) end)}
    end.

%% preempt: the worst ping latency while processes spin forever. wippy runs its spinner and echo
%% on a one-worker host; here every scheduler gets a spinner, so the echo and this driver always
%% share a scheduler with one and are answered only because the VM preempts it.
preempt(Pings) ->
    Spinners = [spawn(fun spin/0) || _ <- lists:seq(1, erlang:system_info(schedulers_online))],
    Echo = spawn(fun echo/0),
    Worst = lists:foldl(fun(_, W) ->
                                T0 = now_ns(),
                                Echo ! {ping, self()},
                                receive pong -> ok end,
                                max(W, ms_since(T0))
                        end, 0.0, lists:seq(1, Pings)),
    out("preempt pings=~b max_latency_ms=~s", [Pings, f(Worst, 1)]),
    [exit(P, kill) || P <- [Echo | Spinners]],
    ok.

spin() -> spin().

echo() ->
    receive {ping, From} -> From ! pong, echo() end.

type Result<T, E> = {ok: T?, err: E?}
local r: Result<number, string> = {ok = 1}
local e: Result<number, string> = {err = "bad"}
return r, e

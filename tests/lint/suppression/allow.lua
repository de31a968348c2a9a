-- Inline allows by code or rule name, on the line or the line above; a syntax error cannot be allowed.
local a = 1 -- wippy: allow(W0001)
-- wippy: allow(unused_variable, W0005)
local b = 2
local c = 3

-- An intended global, allowed inline (same line or the line above).
registry_cache = {} -- wippy: allow(W0004)
-- wippy: allow(global_assignment)
function exported_helper() end
local x = 1
x = 2
return x

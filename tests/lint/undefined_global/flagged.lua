-- Globals nothing defines.
print(undefined_thing)
local t = tabel.insert
local now = time.now()
return { t = t, now = now }

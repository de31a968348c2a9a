local function main() return 1 end

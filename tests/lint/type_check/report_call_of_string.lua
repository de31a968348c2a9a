local function run(cmd: string)
  return cmd()
end
return run

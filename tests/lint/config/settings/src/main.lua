local function main(unused_arg)
  return host_global, not_provided
end
return { main = main }

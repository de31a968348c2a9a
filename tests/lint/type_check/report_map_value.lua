local function total(scores: {[string]: number}): number
  return #scores
end
return total({a = "x"})

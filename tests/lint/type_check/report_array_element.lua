local names: {string} = {"a", 2}
return names

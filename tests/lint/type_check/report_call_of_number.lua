local limit: number = 10
return limit()

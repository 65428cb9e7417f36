lonecr.token = "lo***ok"
lonecr.port = "*"

last.token = "no***ne"
last.port = "*"

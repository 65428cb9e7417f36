crlf.token = "cr***-1"
crlf.multi = "li***wo"
crlf.port = "*"

straße.token = "st***01"

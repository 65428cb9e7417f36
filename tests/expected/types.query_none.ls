No secrets found matching "nope nothing"

No secrets found

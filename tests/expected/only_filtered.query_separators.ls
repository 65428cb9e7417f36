No secrets found matching " , "

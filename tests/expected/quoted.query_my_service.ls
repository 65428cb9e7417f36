my-service.api-key = "da***e1"

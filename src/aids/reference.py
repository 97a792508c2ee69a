SYNC_COMMANDS = ["sync_aids"]

"""Reference data of this app, loaded by `reseau-emploi load-reference`."""

SYNC_COMMANDS = ["sync_rome"]

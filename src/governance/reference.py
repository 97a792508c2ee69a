"""Reference data of this app, loaded by `reseau-emploi load-reference` (after the territories): the protocols
shipped for the configured region (wording of the public announcement, see governance.protocols)."""

SYNC_COMMANDS = ["load_protocol"]

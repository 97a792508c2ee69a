# Run by `reseau-emploi load-reference` after territories and ROME. FAP tables first: the BMO bridge reads them.
SYNC_COMMANDS = [
    "sync_labour_fap",
    "sync_labour_bmo",
    "sync_labour_tension",
    "sync_labour_offers",
    "sync_labour_tension_list",
    "sync_labour_dares",
    "sync_diagnosis_indicators",
]

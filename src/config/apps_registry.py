"""The project's domain apps, in one list: settings install them, and URL and API routes are found from them."""

DOMAIN_APPS = [
    "core",
    "accounts",
    "audit",
    "territories",
    "rome",
    "offers",  # issue 3: regional pool of job offers
    "jobseekers",  # job seeker records (RGPD: consent, following organisations, retention)
    "aids",  # issue 4: mobility and barrier-removal aids, eligibility engine
    "reach",  # issue 5: travel times between communes
    "matching",  # issue 5: people <-> offers
    "training",  # issue 6: training supply
    "diagnosis",  # issue 6: shared territorial diagnosis
    "governance",  # issue 7: comités pour l'emploi, protocol commitments
    "companies",  # issue 8: company register, prospecting, recruitment operations
]

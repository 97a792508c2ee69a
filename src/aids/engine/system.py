"""The OpenFisca tax-benefit system: OpenFisca-France plus the project's extension, loaded once per process
(about 3 seconds)."""

from __future__ import annotations

import functools
import threading

EXTENSION = "openfisca_reseau_emploi"
_lock = threading.Lock()


@functools.cache
def _load():
    from openfisca_france import CountryTaxBenefitSystem

    system = CountryTaxBenefitSystem()
    system.load_extension(EXTENSION)
    return system


def tax_benefit_system():
    with _lock:  # two first requests in parallel threads must not load it twice
        return _load()

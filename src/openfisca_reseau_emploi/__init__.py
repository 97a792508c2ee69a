"""OpenFisca extension of the réseau pour l'emploi: the regional and local aids OpenFisca-France does not model,
and the project's versions of France Travail rules that changed after OpenFisca-France 176 was released.

Load it on top of OpenFisca-France: `CountryTaxBenefitSystem().load_extension("openfisca_reseau_emploi")`.
One variable per rule (`variables/`), dated parameters with their official reference (`parameters/reseau_emploi/`),
and OpenFisca YAML tests (`tests/`), run from pytest (tests/aids/test_openfisca_extension.py).
"""

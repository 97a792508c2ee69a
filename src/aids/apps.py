from django.apps import AppConfig


class AidsConfig(AppConfig):
    name = "aids"
    verbose_name = "Aides à la mobilité et à la levée des freins"

    def ready(self):
        from core import navigation

        navigation.register(
            "Aides à la mobilité",
            "aids:catalogue",
            order=40,
            login_required=False,
            group="Accompagnement",
            description="Les aides à la mobilité et à la levée des freins, et un simulateur pour savoir à quoi l'on a droit.",
        )
        if _serving():
            # Load OpenFisca (seconds) in the background, so the first simulation does not wait for it.
            import threading

            from aids.engine.system import tax_benefit_system

            threading.Thread(target=tax_benefit_system, name="openfisca-load", daemon=True).start()


def _serving() -> bool:
    """True in a web server process (runserver's child, gunicorn), not in commands or tests."""
    import os
    import sys

    if "gunicorn" in os.path.basename(sys.argv[0]):
        return True
    return "runserver" in sys.argv and (os.environ.get("RUN_MAIN") == "true" or "--noreload" in sys.argv)
